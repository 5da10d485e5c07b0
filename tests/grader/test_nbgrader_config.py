"""nbgrader_config.py: the settings the grading relies on, computed from the library."""

import re

import pytest
from traitlets.config import Config

from smiley_checks.dataset.layout import REPO_ROOT


@pytest.fixture(scope="module")
def config():
    c = Config()
    code = (REPO_ROOT / "nbgrader_config.py").read_text()
    exec(compile(code, "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    return c


def test_course_markers_and_stub(config):
    assert config.CourseDirectory.course_id == "smileys"
    assert config.ClearHiddenTests.begin_test_delimeter == "BEGIN HIDDEN TESTS"
    assert config.ClearHiddenTests.end_test_delimeter == "END HIDDEN TESTS"
    assert config.ClearSolutions.code_stub == {"python": "# YOUR CODE HERE"}
    assert config.OverwriteCells.add_missing_cells is True


def test_timeout_fits_the_grading_protocol(config):
    from smiley_grader.limits import START_SECONDS, WORST_SECONDS_PER_EPOCH, cell_timeout
    from smiley_checks.training.protocol import GRADING
    from smiley_checks.training.reliability import DEFAULT_SEEDS

    assert config.Execute.timeout == cell_timeout()
    assert cell_timeout() >= START_SECONDS + DEFAULT_SEEDS * GRADING.epochs * WORST_SECONDS_PER_EPOCH


def test_autograde_runs_the_grading_executor(config):
    from smiley_grader.nbgrader_plugin import GradingExecute

    preprocessors = config.Autograde.autograde_preprocessors
    assert preprocessors[0] is GradingExecute
    assert [p.__name__ for p in preprocessors[1:]] == [
        "IgnorePattern", "ClearMetadataPreprocessor", "LimitOutput", "SanitiseStudentHTML", "SaveAutoGrades",
        "AssignLatePenalties", "CheckCellMetadata"]


@pytest.mark.parametrize("text,ignored", [
    ("2026-11-26 22:44:33.123456: I tensorflow/core/util/port.cc:153] oneDNN custom operations are on.\n", True),
    ("W0000 00:00:1732660000.123456    1234 cuda_executor.cc:1015] could not open file\n", True),
    ("WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n", True),
    ("/venv/lib/python3.11/site-packages/keras/src/layers/core/dense.py:87: UserWarning: Do not pass an `input_shape`\n", True),
    ("Traceback (most recent call last):\n  File \"x.py\", line 1\nZeroDivisionError: division by zero\n", False),
    ("my own message on stderr\n", False),
])
def test_ignore_pattern_drops_only_tensorflow_noise_and_warnings(config, text, ignored):
    assert config.IgnorePattern.enabled is True
    assert bool(re.search(config.IgnorePattern.pattern, text)) is ignored


def test_feedback_hides_the_hidden_tests_after_nbgraders_own_steps_and_sanitises_last(config):
    from nbgrader.converters import GenerateFeedback

    from smiley_grader.feedback_cells import HideHiddenTests
    from smiley_grader.safe_html import SanitiseStudentHTML

    nbgraders = GenerateFeedback.class_traits()["preprocessors"].default()  # 0.9.6: GetGrades, CSS header
    assert config.GenerateFeedback.preprocessors == [*nbgraders, HideHiddenTests, SanitiseStudentHTML]
