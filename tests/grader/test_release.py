"""release/ is what `nbgrader generate_assignment` makes of source/, and the source
notebooks are built the way the grading expects."""

import re

import nbformat
import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_grader.course import ASSIGNMENTS
from smiley_checks.tasks import ASSIGNMENTS as TASKS_OF, TASKS
from smiley_checks.notebook_template import english_name

VOLATILE_CELL_KEYS = ("execution_count", "outputs")


def source(assignment):
    return nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def comparable(nb):
    cells = []
    for cell in nb.cells:
        data = {key: value for key, value in cell.items() if key not in VOLATILE_CELL_KEYS}
        cells.append(data)
    return {"cells": cells, "kernelspec": nb.metadata.get("kernelspec")}


@pytest.mark.slow
def test_release_is_up_to_date(tmp_path):
    from smiley_grader.course import generate_release

    fresh = generate_release(tmp_path)
    for assignment in ASSIGNMENTS:
        committed = REPO_ROOT / "release" / assignment
        assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in fresh[assignment].iterdir())
        for path in fresh[assignment].glob("*.ipynb"):
            new = comparable(nbformat.read(path, as_version=4))
            old = comparable(nbformat.read(committed / path.name, as_version=4))
            assert old == new, f"release/{assignment}/{path.name} is stale: run .venv/bin/python tools/make_release.py"


HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)\n### END HIDDEN TESTS", re.S)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_are_short_calls_that_reveal_nothing(assignment):
    found = set()
    for cell in source(assignment).cells:
        for block in HIDDEN.findall(cell.source):
            match = re.fullmatch(r"checks\.(\w+)\.hand_in\((\w+)\)", block)
            assert match, block  # one call on the student's answer: no numbers, no expected values, no grader
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            assert match.group(1) == grade_id and match.group(2) == TASKS[grade_id].answer
            found.add(match.group(1))
    assert found == set(TASKS_OF[assignment])


@pytest.mark.parametrize("assignment", ["break_the_model", "breek_het_model"])
def test_the_smallest_break_is_handed_in_before_the_notebooks_own_check(assignment):
    """A network the check stops ("Not yet: you made 3 layer edits") still reaches the judge, which
    describes it for the class report's table of smallest breaks (else: no change known, "-")."""
    cell = next(c for c in source(assignment).cells if c.metadata.get("nbgrader", {}).get("grade_id") == "smallest_break")
    assert cell.source.index(".hand_in(") < cell.source.index(".check(")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_is_a_registered_task_and_every_grade_cell_has_points(assignment):
    for cell in source(assignment).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            assert meta["points"] > 0
            if not meta.get("solution"):
                assert meta["grade_id"] in TASKS and TASKS[meta["grade_id"]].assignment == english_name(assignment)
                assert meta["points"] == TASKS[meta["grade_id"]].points  # declared once, the notebook agrees
                assert meta["locked"]


def test_released_notebooks_hide_the_answers():
    for assignment in ASSIGNMENTS:
        text = (REPO_ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text
    for name in ("break_the_model", "breek_het_model"):
        released = (REPO_ROOT / "release" / name / f"{name}.ipynb").read_text()
        assert '{\\"Flatten\\", \\"Dense\\"}' not in released and 'activation=\\"relu\\"),\\n    ]' not in released


def test_no_notebook_names_the_grader():
    for folder in ("source", "release"):
        for path in (REPO_ROOT / folder).glob("*/*.ipynb"):
            assert "smiley_grader" not in path.read_text(), path
