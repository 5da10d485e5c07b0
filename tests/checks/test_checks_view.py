"""What a student sees: plain text in a terminal, coloured HTML in a notebook."""

import __main__

from smiley_checks import checks
from smiley_checks.checks import view
from smiley_checks.messages import say


def test_check_prints_the_verdict_and_returns_it(capsys, lesson_model):
    verdict = checks.remove_all_batchnorm.check(lesson_model())
    assert not verdict and verdict.status == checks.INCORRECT
    assert capsys.readouterr().out == f"Not yet: {say('task.remove_all_batchnorm.left', count=5)}\n"


def test_check_without_argument_reads_the_notebook_variable(capsys, monkeypatch):
    monkeypatch.setattr(__main__, "never_remove", {"Flatten", "Dense"}, raising=False)
    assert checks.never_remove.check()
    assert capsys.readouterr().out.startswith("Correct: Without Flatten")
    monkeypatch.delattr(__main__, "never_remove")
    assert checks.never_remove.check().status == checks.NOT_ATTEMPTED


def test_hints_are_numbered_and_stay_in_range(capsys):
    checks.only_dense.hint()
    checks.only_dense.hint(2)
    checks.only_dense.hint(7)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Hint 1/2: {say('task.only_dense.hint1')}",
        f"Hint 2/2: {say('task.only_dense.hint2')}",
        f"Hints: {say('check.no_such_hint', total=2)}",
    ]


def test_solution_shows_the_teachers_code(capsys):
    checks.never_remove.solution()
    assert capsys.readouterr().out == "Solution (the teacher's version):\nnever_remove = {'Dense', 'Flatten'}\n"


def test_notebook_html_is_coloured_and_escaped():
    html = view.render_html("incorrect", "Not yet", "use <Flatten> & Dense")
    assert 'style="color:#cc3300"' in html and "use &lt;Flatten&gt; &amp; Dense" in html
    assert "<pre>" in view.render_html("solution", "Solution", "x = 1", code=True)


def test_in_a_notebook_check_displays_html_once(monkeypatch, capsys):
    shown = []
    monkeypatch.setattr(view, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj.data))
    verdict = checks.never_remove.check({"Dense"})
    verdict._ipython_display_()  # the verdict as a cell's last value: not shown a second time
    assert len(shown) == 1 and "#cc3300" in shown[0] and capsys.readouterr().out == ""


def test_outside_a_notebook_there_is_no_html():
    assert not view.in_notebook()


def test_a_graded_notebook_withholds_solutions_but_keeps_hints(capsys, monkeypatch):
    monkeypatch.setattr(view, "_solutions_withheld", False)
    checks.withhold_solutions()
    checks.never_remove.solution()
    shown = capsys.readouterr().out
    assert "Flatten" not in shown and "checks.never_remove.hint(1)" in shown
    checks.never_remove.hint(1)
    assert capsys.readouterr().out.startswith("Hint 1/")
