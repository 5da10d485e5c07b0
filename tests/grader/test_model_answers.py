"""After grading, the feedback has each task's model answer: the teacher's own solution."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from smiley_grader.model_answers import MARK, add_model_answers, solution_text

ANSWER = '''def dense_params(inputs, units):
    """How many numbers a Dense layer learns."""
    ### BEGIN SOLUTION
    return (inputs + 1) * units
    ### END SOLUTION'''
QUESTION = "Why?\n\n### BEGIN SOLUTION\nBecause the loss needs two scores.\n### END SOLUTION"


def cell(kind, source, **nbgrader):
    made = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
    made.metadata["nbgrader"] = nbgrader
    return made


def test_the_solution_region_without_its_markers():
    assert solution_text(ANSWER) == "return (inputs + 1) * units"
    assert solution_text("no solution here") == ""


def test_test_cells_get_the_code_and_written_answers_the_text():
    teacher = {"answer_dense_params": ("code", ANSWER), "question_why": ("markdown", QUESTION)}
    nb = new_notebook(cells=[
        cell("code", "def dense_params(inputs, units):\n    return 0", grade_id="answer_dense_params", solution=True),
        cell("code", "checks.dense_params.check(dense_params)", grade_id="dense_params", grade=True, points=2),
        cell("markdown", "I don't know", grade_id="question_why", grade=True, solution=True, points=1),
        cell("code", "print(1)"),
    ])
    assert add_model_answers(nb, teacher) == 2
    shown = nb.cells[1].outputs[-1]
    assert shown.metadata[MARK] and "def dense_params(inputs, units):\n    return (inputs + 1) * units" in shown.data["text/plain"]
    assert "Model answer" in shown.data["text/html"]
    assert nb.cells[3].cell_type == "markdown" and "Because the loss needs two scores." in nb.cells[3].source
    assert not nb.cells[0].get("outputs") and not nb.cells[4].get("outputs")  # only the graded cells


def test_without_a_teachers_solution_nothing_is_added():
    nb = new_notebook(cells=[cell("code", "checks.normalise.check(normalise)", grade_id="normalise", grade=True)])
    assert add_model_answers(nb, {}) == 0 and not nb.cells[0].outputs
