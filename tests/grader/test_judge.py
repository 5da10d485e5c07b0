"""The judge outside the kernel: it sees only records, fails what it cannot confirm, and is the
only place a hidden test is decided."""

from nbformat.v4 import new_code_cell, new_notebook, new_output

from smiley_checks.tasks import TASKS
from smiley_checks.tasks.records import MIME
from smiley_grader.hidden_inputs import draw, literal

HIDDEN = draw(b"the test course's secret")
INPUTS = literal(HIDDEN)  # what the kernel and the judge get


def record_of(grade_id, answer):
    return TASKS[grade_id].export(answer, HIDDEN.get(grade_id))


def test_the_judge_outside_the_kernel_sees_only_records(solutions):
    from smiley_grader.judge import judge_outside

    good = record_of("normalise", solutions["normalise"])
    blank = record_of("convolve", lambda image, kernel: None)
    forged = {"task": "max_pool", "calls": [{"args": [[[1]]], "result": [[1]]}]}
    wrong_task = dict(good, task="max_pool")
    key = record_of("never_remove", {"Dense", "Flatten"})
    outcomes = judge_outside([("normalise", good), ("convolve", blank), ("max_pool", forged),
                              ("max_pool", wrong_task), ("never_remove", key)], inputs=INPUTS)
    assert [o.passed for o in outcomes] == [True, False, False, False, True]
    assert "gave back nothing" in outcomes[1].message
    assert "Flatten" in outcomes[4].shown  # the model answer, for the feedback


def test_the_judge_uses_the_course_inputs_it_is_handed(solutions):
    """Answers called on another course's inputs do not pass here; without inputs nothing of layers passes."""
    from smiley_grader.judge import judge_outside

    good = record_of("normalise", solutions["normalise"])
    other = literal(draw(b"another course's secret"))
    network = record_of("shapes_network", solutions["output_shape"])
    outcomes = judge_outside([("normalise", good), ("shapes_network", network)], inputs=other)
    assert [o.passed for o in outcomes] == [False, True]  # the network chain needs no hidden inputs
    assert "could not find your answer" in outcomes[0].message
    assert not judge_outside([("normalise", good)])[0].passed


def test_a_record_that_takes_too_long_fails_only_that_task(solutions):
    from smiley_grader.judge import judge_outside

    slow = record_of("normalise", solutions["normalise"])
    outcomes = judge_outside([("normalise", slow)], timeout=0.01, inputs=INPUTS)  # not even time to start Python
    assert not outcomes[0].passed and "took far too long" in outcomes[0].message


def grade_cell(grade_id, outputs):
    cell = new_code_cell(f"checks.{grade_id}.hand_in(answer)", outputs=outputs)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                 "points": 1, "schema_version": 3}
    return cell


def record_output(record):
    return new_output("display_data", data={MIME: record, "text/plain": ""})


def test_rejudge_fails_test_cells_whose_records_are_missing_or_wrong(solutions):
    from smiley_grader.nbgrader_plugin import rejudge

    good = record_of("normalise", solutions["normalise"])
    bad = record_of("dense_params", lambda inputs, units: inputs * units)
    nb = new_notebook(cells=[
        new_code_cell("print('student')", outputs=[record_output(good)]),  # a record outside a test cell: ignored
        grade_cell("normalise", [record_output(good)]),
        grade_cell("dense_params", [record_output(bad)]),  # nothing in the kernel failed it: the judge does
        grade_cell("conv2d_params", []),  # emptied by an input transformer: no record at all
        grade_cell("max_pool", [new_output("error", ename="NameError", evalue="x", traceback=[])]),
    ])
    outcomes = rejudge(nb, inputs=INPUTS)
    assert outcomes["normalise"].passed and not nb.cells[1].outputs  # records are removed
    assert nb.cells[2].outputs[-1].output_type == "error" and "bias" in nb.cells[2].outputs[-1].evalue
    assert "did not get to your answer" in nb.cells[3].outputs[-1].evalue
    assert "max_pool" not in outcomes and len(nb.cells[4].outputs) == 1  # already failed: left as it was
    assert not nb.cells[0].outputs


def test_a_network_the_kernel_failed_is_still_described_for_the_class_report():
    """Describe only: the kernel's error (and its 0) stays, nothing is trained."""
    from smiley_checks.variants import build_variant
    from smiley_grader.nbgrader_plugin import rejudge

    record = record_of("smallest_break", lambda: build_variant("final_relu"))
    failed_in_kernel = new_output("error", ename="AssertionError", evalue="You made 3 layer edits", traceback=[])
    nb = new_notebook(cells=[grade_cell("smallest_break", [record_output(record), failed_in_kernel])])
    outcomes = rejudge(nb)
    assert "smallest_break" not in outcomes and nb.cells[0].outputs == [failed_in_kernel]
    assert nb.cells[0].metadata["smiley_checks"]["changes"] == \
        "head: Dense(2, softmax) now has activation relu instead of softmax."


def nbgraders_score(cell) -> float:
    from nbgrader.utils import determine_grade

    return determine_grade(cell)[0]


def forged_ok():
    return new_output("execute_result", data={"text/plain": "'ok'"}, execution_count=1)


def test_what_a_kernel_leaves_in_a_test_cell_cannot_give_points(solutions):
    """nbgrader scores a test cell by its first execute_result: 'ok' from a forged hand_in is full points.
    After rejudge, a test cell's outputs are the judge's outcome only."""
    from smiley_grader.nbgrader_plugin import rejudge

    good = record_of("normalise", solutions["normalise"])
    bad = record_of("dense_params", lambda inputs, units: inputs * units)
    stderr = new_output("stream", name="stderr", text="a warning from TensorFlow\n")
    fake = new_output("display_data", data={"text/html": "<b>Correct! 3/3</b>", "text/plain": "Correct! 3/3"})
    nb = new_notebook(cells=[
        grade_cell("convolve", [forged_ok()]),  # no record: hand_in was replaced
        grade_cell("dense_params", [record_output(bad), forged_ok()]),  # a wrong answer behind an 'ok'
        grade_cell("normalise", [record_output(good), stderr, fake]),  # right: stderr no longer costs the points
    ])
    before = [nbgraders_score(cell) for cell in nb.cells]
    assert before == [1, 1, 0]  # the attack works on nbgrader alone, and stderr costs an honest student
    rejudge(nb, inputs=INPUTS)
    assert [nbgraders_score(cell) for cell in nb.cells] == [0, 0, 1]
    kinds = [[o.output_type for o in cell.outputs] for cell in nb.cells]
    assert kinds == [["error"], ["error"], []]  # nothing of the kernel's is left
    assert "did not get to your answer" in nb.cells[0].outputs[0].evalue


def test_a_cell_that_failed_in_the_kernel_keeps_only_its_error(solutions):
    from smiley_grader.nbgrader_plugin import rejudge

    good = record_of("normalise", solutions["normalise"])
    error = new_output("error", ename="AssertionError", evalue="Not yet", traceback=[])
    nb = new_notebook(cells=[grade_cell("normalise", [forged_ok(), record_output(good), error])])
    assert nbgraders_score(nb.cells[0]) == 1  # the 'ok' comes first
    rejudge(nb, inputs=INPUTS)
    assert nb.cells[0].outputs == [error] and nbgraders_score(nb.cells[0]) == 0


def test_a_teachers_own_test_cell_loses_its_result_but_keeps_its_errors():
    """A test cell that is no task of ours: nbgrader's rules, except that a printed result is no score."""
    from smiley_grader.nbgrader_plugin import rejudge

    partial = new_output("execute_result", data={"text/plain": "0.0"}, execution_count=1)
    own = grade_cell("teachers_own", [partial])
    assert nbgraders_score(own) == 0  # a kernel could print any number here
    nb = new_notebook(cells=[own, grade_cell("teachers_other", [new_output("error", ename="E", evalue="x",
                                                                            traceback=[])])])
    rejudge(nb)
    assert nb.cells[0].outputs[0].output_type == "display_data" and nbgraders_score(nb.cells[0]) == 1
    assert nbgraders_score(nb.cells[1]) == 0
