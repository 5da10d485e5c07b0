"""The feedback's copy of a notebook: visible test code and results, no hidden tests."""

import html as html_text
import re

import nbformat
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from smiley_grader.feedback_cells import HideHiddenTests

TEST_CELL = """from smiley_checks import checks
checks.no_batchnorm.check(build_no_batchnorm)
### BEGIN HIDDEN TESTS
checks.no_batchnorm.hand_in(build_no_batchnorm)
### END HIDDEN TESTS"""
VISIBLE = "from smiley_checks import checks\nchecks.no_batchnorm.check(build_no_batchnorm)"
REASON = "Your model still has BatchNormalization layers (1 left). Remove all of them."
TRACEBACK = [  # what IPython shows for an error that is not one of ours: the cell's lines
    "\x1b[0;31mNameError\x1b[0m  Traceback (most recent call last)",
    "Cell \x1b[0;32mIn[7], line 5\x1b[0m\n\x1b[0;32m----> 5\x1b[0m checks\x1b[38;5;241m.\x1b[39mno_batchnorm\x1b[38;5;241m.\x1b[39mhand_in(build_no_batchnorm)",
    "\x1b[0;31mNameError\x1b[0m: name 'build_no_batchnorm' is not defined",
]


def notebook():
    grade_meta = {"nbgrader": {"grade": True, "grade_id": "no_batchnorm", "points": 2, "solution": False}}
    failed = new_code_cell(TEST_CELL, metadata=grade_meta, outputs=[
        new_output("stream", name="stdout", text="Not yet: one BatchNormalization is left.\n"),
        new_output("error", ename="AssertionError", evalue=REASON, traceback=[f"AssertionError: {REASON}"]),
    ])
    crashed = new_code_cell(TEST_CELL, metadata=grade_meta, outputs=[
        new_output("error", ename="NameError", evalue="name 'build_no_batchnorm' is not defined", traceback=TRACEBACK),
    ])
    student = new_code_cell("def build_no_batchnorm():\n    return 1 / 0", outputs=[
        new_output("error", ename="ZeroDivisionError", evalue="division by zero", traceback=["line 2", "1 / 0"]),
    ])
    unfinished = new_code_cell("print('shown')\n### BEGIN HIDDEN TESTS\nsecret_check()\n")
    return new_notebook(cells=[new_markdown_cell("# Break the model"), failed, crashed, student, unfinished])


def page_text(page: str) -> str:
    """What a reader sees: pygments splits a code line into many <span>s."""
    return html_text.unescape(re.sub(r"<[^>]+>", "", page))


def run(nb):
    nb, _ = HideHiddenTests().preprocess(nb, {})
    return nb


def test_the_hidden_region_goes_and_the_visible_part_stays():
    nb = run(notebook())
    assert nb.cells[1].source == VISIBLE and nb.cells[2].source == VISIBLE
    assert nb.cells[0].source == "# Break the model"
    assert nb.cells[3].source == "def build_no_batchnorm():\n    return 1 / 0"  # no hidden region: untouched


def test_a_region_without_its_end_is_hidden_to_the_end_of_the_cell():
    assert run(notebook()).cells[4].source == "print('shown')"


def test_the_verdict_stays_and_a_traceback_quoting_the_hidden_lines_is_one_line():
    nb = run(notebook())
    assert nb.cells[1].outputs[0].text == "Not yet: one BatchNormalization is left.\n"
    assert nb.cells[1].outputs[1].traceback == [f"AssertionError: {REASON}"]
    assert nb.cells[2].outputs[0].traceback == ["NameError: name 'build_no_batchnorm' is not defined"]
    assert nb.cells[3].outputs[0].traceback == ["line 2", "1 / 0"]  # the student's own cell keeps its traceback


def test_the_html_has_the_results_and_no_hidden_test():
    exporter = HTMLExporter()
    exporter.register_preprocessor(HideHiddenTests, enabled=True)
    page = page_text(exporter.from_notebook_node(notebook())[0])
    hidden = ("BEGIN HIDDEN TESTS", "checks.no_batchnorm.hand_in(build_no_batchnorm)", "secret_check()")
    assert not [line for line in hidden if line in page]
    assert REASON in page and "checks.no_batchnorm.check(build_no_batchnorm)" in page
    without = page_text(HTMLExporter().from_notebook_node(notebook())[0])  # nbgrader #917: all of it shows
    assert all(line in without for line in hidden)


def test_the_delimiters_are_settings():
    nb = new_notebook(cells=[new_code_cell("a = 1\n# >>> hide\nb = 2\n# <<< hide")])
    hiding = HideHiddenTests(begin_delimiter=">>> hide", end_delimiter="<<< hide")
    assert hiding.preprocess(nb, {})[0].cells[0].source == "a = 1"


def test_the_autograded_file_is_not_changed(tmp_path):
    path = tmp_path / "graded.ipynb"
    nbformat.write(notebook(), path)
    exporter = HTMLExporter()
    exporter.register_preprocessor(HideHiddenTests, enabled=True)
    exporter.from_filename(str(path))
    assert "BEGIN HIDDEN TESTS" in path.read_text()
