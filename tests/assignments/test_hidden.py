"""Hidden tests: short calls, one-line failures, and no way around them from the notebook."""

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from smiley_checks.grading import hidden
from smiley_checks.grading.records import MIME


def test_a_failure_is_an_assertion_error_shown_as_one_line():
    error = hidden.NotYet("Your model still has BatchNormalization layers (5 left).")
    assert isinstance(error, AssertionError) and type(error).__name__ == "AssertionError"
    assert error._render_traceback_() == [
        "\x1b[0;31mAssertionError\x1b[0m: Your model still has BatchNormalization layers (5 left)."]


def test_a_hidden_call_publishes_its_record_then_judges_it(solutions):
    hidden.RECORDS.clear()
    hidden.normalise(solutions["normalise"])
    assert hidden.RECORDS[-1]["task"] == "normalise"
    with pytest.raises(AssertionError, match=r"normalise\(\[10, 20\]\) gave back nothing"):
        hidden.normalise(lambda values: None)


def test_fresh_undoes_monkeypatching_of_smiley_checks(restore_modules):
    import smiley_checks.grading.hidden as patched
    import smiley_checks.grading.layers_tasks as layers_tasks
    from smiley_checks.grading.records import Outcome

    # What a student could do in a cell above the hidden tests:
    original = patched.normalise
    patched.normalise = lambda *args: None
    for task in layers_tasks.TASKS:
        object.__setattr__(task, "judge", lambda *args, **kwargs: Outcome(True))
    try:
        patched.normalise(lambda values: None)  # "passes"
        grade = hidden.fresh()
        assert grade is not patched
        with pytest.raises(AssertionError, match="gave back nothing"):
            grade.normalise(lambda values: None)
    finally:
        patched.normalise = original
        for task in layers_tasks.TASKS:
            object.__delattr__(task, "judge")  # back to the class's method


def test_fresh_refuses_a_changed_keras(restore_modules, keras, monkeypatch):
    monkeypatch.setattr(keras.Model, "fit", lambda self, *args, **kwargs: None)
    with pytest.raises(AssertionError, match=r"changed Keras itself \(keras.Model.fit\)"):
        hidden.fresh()


def test_the_judge_outside_the_kernel_sees_only_records(solutions):
    from smiley_grader.judge import judge_outside
    from smiley_checks.grading.tasks import TASKS

    good = TASKS["normalise"].export(solutions["normalise"])
    blank = TASKS["convolve"].export(lambda image, kernel: None)
    forged = {"task": "max_pool", "calls": [{"args": [[[1]]], "result": [[1]]}]}
    wrong_task = dict(good, task="max_pool")
    outcomes = judge_outside([("normalise", good), ("convolve", blank), ("max_pool", forged), ("max_pool", wrong_task)])
    assert [o.passed for o in outcomes] == [True, False, False, False]
    assert "gave back nothing" in outcomes[1].message


def test_a_record_that_takes_too_long_fails_only_that_task(solutions):
    from smiley_grader.judge import judge_outside
    from smiley_checks.grading.tasks import TASKS

    slow = TASKS["normalise"].export(solutions["normalise"])
    outcomes = judge_outside([("normalise", slow)], timeout=0.01)  # not even time to start Python
    assert not outcomes[0].passed and "took far too long" in outcomes[0].message


def grade_cell(grade_id, outputs):
    cell = new_code_cell(f"grade.{grade_id}(answer)", outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": 1, "schema_version": 3}
    return cell


def record_output(record):
    return new_output("display_data", data={MIME: record, "text/plain": ""})


def test_rejudge_fails_test_cells_whose_records_are_missing_or_wrong(solutions):
    from smiley_grader.nbgrader_plugin import rejudge
    from smiley_checks.grading.tasks import TASKS

    good = TASKS["normalise"].export(solutions["normalise"])
    bad = TASKS["dense_params"].export(lambda inputs, units: inputs * units)
    nb = new_notebook(cells=[
        new_code_cell("print('student')", outputs=[record_output(good)]),  # a record outside a test cell: ignored
        grade_cell("normalise", [record_output(good)]),
        grade_cell("dense_params", [record_output(bad)]),  # passed in a kernel that swallowed the error
        grade_cell("conv2d_params", []),  # emptied by an input transformer: no record at all
        grade_cell("max_pool", [new_output("error", ename="NameError", evalue="x", traceback=[])]),
    ])
    outcomes = rejudge(nb)
    assert outcomes["normalise"].passed and not nb.cells[1].outputs  # records are removed
    assert nb.cells[2].outputs[-1].output_type == "error" and "bias" in nb.cells[2].outputs[-1].evalue
    assert "did not get to your answer" in nb.cells[3].outputs[-1].evalue
    assert "max_pool" not in outcomes and len(nb.cells[4].outputs) == 1  # already failed: left as it was
    assert not nb.cells[0].outputs


def test_a_network_the_kernel_failed_is_still_described_for_the_class_report(english):
    """Describe only: the kernel's error (and its 0) stays, nothing is trained."""
    from smiley_grader.nbgrader_plugin import rejudge
    from smiley_checks.grading.tasks import TASKS
    from smiley_checks.variants import build_variant

    record = TASKS["smallest_break"].export(lambda: build_variant("final_relu"))
    failed_in_kernel = new_output("error", ename="AssertionError", evalue="You made 3 layer edits", traceback=[])
    nb = new_notebook(cells=[grade_cell("smallest_break", [record_output(record), failed_in_kernel])])
    outcomes = rejudge(nb)
    assert "smallest_break" not in outcomes and nb.cells[0].outputs == [failed_in_kernel]
    assert nb.cells[0].metadata["smiley_checks"]["changes"] == \
        "head: Dense(2, softmax) now has activation relu instead of softmax."
