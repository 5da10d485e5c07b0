"""What a student sees: plain text in a terminal, coloured HTML in a notebook."""

import __main__

import pytest

from smiley_checks import checks
from smiley_checks.checks import view
from smiley_checks.messages import say


def test_a_wrong_answer_fails_the_cell_with_one_labelled_line(capsys, lesson_model):
    with pytest.raises(AssertionError) as raised:
        checks.no_batchnorm.check(lesson_model())
    assert str(raised.value) == f"Not yet: {say('task.no_batchnorm.left', count=5)}"
    assert raised.value._render_traceback_() == [f"\x1b[0;31mAssertionError\x1b[0m: {raised.value}"]
    assert capsys.readouterr().out == ""


def test_a_right_answer_says_so_and_returns_nothing(capsys):
    assert checks.never_remove.check({"Flatten", "Dense"}) is None  # no repr under the cell
    assert capsys.readouterr().out == f"Correct: {say('assign.public.never_remove_form')}\n"


def test_check_without_argument_reads_the_notebook_variable(capsys, monkeypatch):
    monkeypatch.setattr(__main__, "never_remove", {"Conv2D"}, raising=False)
    checks.never_remove.check()
    assert capsys.readouterr().out.startswith("Correct:")
    monkeypatch.delattr(__main__, "never_remove")
    with pytest.raises(AssertionError, match="Not attempted yet"):
        checks.never_remove.check()


def test_hints_are_numbered_and_stay_in_range(capsys):
    checks.only_dense.hint()
    checks.only_dense.hint(2)
    checks.only_dense.hint(7)
    checks.normalise.hint()
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Hint 1/2: {say('task.only_dense.hint1')}",
        f"Hint 2/2: {say('task.only_dense.hint2')}",
        f"Hints: {say('check.no_such_hint', total=2)}",
        f"Hints: {say('check.no_hints')}",
    ]


def test_the_solution_waits_for_the_feedback(capsys):
    checks.never_remove.solution()
    shown = capsys.readouterr().out
    assert "Flatten" not in shown and "checks.never_remove.hint(1)" in shown


def test_tab_completion_finds_no_answer():
    for grade_id in ("never_remove", "smallest_break", "normalise"):
        view_of = getattr(checks, grade_id)
        reachable = {name: getattr(view_of.task, name) for name in dir(view_of.task) if not name.startswith("__")}
        assert "solution" not in reachable and "inputs" not in reachable
        assert not any(isinstance(value, (set, frozenset)) for value in reachable.values())


def test_notebook_html_is_coloured_and_escaped():
    html = view.render_html("incorrect", "Not yet", "use <Flatten> & Dense")
    assert 'style="color:#cc3300"' in html and "use &lt;Flatten&gt; &amp; Dense" in html


def test_in_a_notebook_a_right_answer_is_displayed_once_as_html(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(view, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    checks.never_remove.check({"Dense"})
    assert len(shown) == 1 and "#33cc33" in shown[0] and capsys.readouterr().out == ""


def test_outside_a_notebook_there_is_no_html():
    assert not view.in_notebook()
