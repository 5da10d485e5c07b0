"""limits.py: every assignment, whatever it is called, gets a cell timeout and a whole-notebook limit.

The names come from smiley_checks.notebook_template (both languages); a teacher's renamed copy is
recognised by the tasks of its source notebook; anything else gets the largest limit.
"""

import shutil

import pytest
from traitlets.config import Config

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.notebook_template import ASSIGNMENT_NAMES
from smiley_grader.limits import (LAYERS_CELL_TIMEOUT, assignment_cell_timeout, cell_timeout, kind_of,
                                  notebook_timeout, notebook_timeouts)
from smiley_grader.nbgrader_plugin import task_ids
from smiley_grader.sandbox_kernel import KernelSandbox

EVERY_NAME = [(name, english) for english, names in ASSIGNMENT_NAMES.items() for name in names.values()]


def source_tasks(assignment: str) -> list[str]:
    return task_ids(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb")


@pytest.mark.parametrize("name,english", EVERY_NAME)
def test_every_assignment_in_every_language_has_its_kinds_limits(name, english):
    assert kind_of(name) == english
    assert notebook_timeout(kind_of(name)) == notebook_timeouts()[english]
    assert KernelSandbox().notebook_seconds(name, kind_of(name)) == notebook_timeouts()[english]


def test_the_dutch_names_were_the_gap():
    """Before: limits.notebook_timeouts() was keyed by name, so lagen and breek_het_model had no limit."""
    assert set(notebook_timeouts()) == {"layers", "break_the_model"}
    assert "lagen" not in notebook_timeouts() and kind_of("lagen") in notebook_timeouts()


def test_the_limits_follow_the_protocol():
    assert notebook_timeouts() == {"layers": 10 * LAYERS_CELL_TIMEOUT, "break_the_model": 6 * cell_timeout()}
    assert assignment_cell_timeout("layers") == LAYERS_CELL_TIMEOUT
    assert assignment_cell_timeout("break_the_model") is None  # nbgrader's Execute.timeout (cell_timeout())


@pytest.mark.parametrize("original", ["layers", "lagen", "break_the_model", "breek_het_model"])
def test_a_renamed_copy_is_known_by_its_tasks(original):
    english = kind_of(original)
    assert kind_of("klas_3b_" + original, source_tasks(original)) == english
    assert kind_of("klas_3b_" + original) is None  # by its name alone it would be unknown


def test_an_unknown_assignment_gets_the_largest_limit():
    largest = max(notebook_timeouts().values())
    assert kind_of("my_own_quiz", ["question_1", "question_2"]) is None
    assert notebook_timeout(None) == largest
    # tasks of both kinds in one notebook: no single kind, so the largest
    assert kind_of("mixed", source_tasks("layers") + source_tasks("break_the_model")) is None
    assert assignment_cell_timeout(None) is None


def test_the_teachers_own_limits_win_by_name_then_kind_then_for_unknown():
    config = Config()
    config.KernelSandbox.notebook_timeouts = {"lagen": 60, "break_the_model": 900}
    config.KernelSandbox.notebook_timeout = 1234
    sandbox = KernelSandbox(config=config)
    assert sandbox.notebook_seconds("lagen", "layers") == 60
    assert sandbox.notebook_seconds("layers", "layers") == notebook_timeouts()["layers"]
    assert sandbox.notebook_seconds("breek_het_model", "break_the_model") == 900
    assert sandbox.notebook_seconds("my_own_quiz", None) == 1234


@pytest.mark.parametrize("assignment,copy_of,seconds", [
    ("lagen", None, LAYERS_CELL_TIMEOUT), ("layers", None, LAYERS_CELL_TIMEOUT),
    ("breek_het_model", None, cell_timeout()), ("lagen_3b", "lagen", LAYERS_CELL_TIMEOUT),
    ("my_own_quiz", None, cell_timeout()),
])
def test_grading_execute_gives_the_kinds_cell_timeout(tmp_path, assignment, copy_of, seconds):
    """GradingExecute reads the kind from the course's source notebook: a teacher's renamed copy of
    `lagen` gets the 30 s cell timeout of a layers assignment, like lagen itself."""
    from nbformat.v4 import new_code_cell

    from smiley_grader.nbgrader_plugin import GradingExecute

    if copy_of:
        (tmp_path / "source" / assignment).mkdir(parents=True)
        shutil.copy(REPO_ROOT / "source" / copy_of / f"{copy_of}.ipynb",
                    tmp_path / "source" / assignment / f"{assignment}.ipynb")
    config = Config()
    config.CourseDirectory.root = str(tmp_path if copy_of else REPO_ROOT)
    execute = GradingExecute(config=config, timeout=cell_timeout())
    execute._choose_limits({"nbgrader": {"assignment": assignment, "notebook": assignment}})
    assert execute._get_timeout(new_code_cell("x = 1")) == seconds


def test_missing_source_means_no_tasks(tmp_path):
    assert task_ids(tmp_path / "source" / "missing" / "missing.ipynb") == []
