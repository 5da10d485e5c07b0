"""Grading fails closed: where the sandbox cannot start, the formgrader's autograde (nbgrader's own API,
in the formgrader's process) refuses with one sentence, grades nobody, and shows no traceback of ours."""

import pytest
from traitlets.config.loader import PyFileConfigLoader

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    from smiley_grader.course import Course
    from smiley_grader.demo_cycle import SUBMISSIONS

    course = Course.create(tmp_path_factory.mktemp("refusal"), assignments=("layers",))
    course.import_students(["ada"])
    course.release("layers")
    course.submit("ada", "layers", SUBMISSIONS / "ada" / "layers.ipynb")
    course.collect("layers")
    return course


def formgrader_autograde(course, monkeypatch, problem, mode=None):
    """What the formgrader's 'autograde' button runs: NbGraderAPI.autograde, in this process."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from smiley_grader import sandbox_kernel

    monkeypatch.chdir(course.root)
    monkeypatch.delenv(sandbox_kernel.MODE_VARIABLE, raising=False)
    monkeypatch.setattr(sandbox_kernel, "cached_problem", lambda: problem)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
    if mode:
        config.KernelSandbox.mode = mode
    coursedir = CourseDirectory(config=config, root=str(course.root))
    return NbGraderAPI(coursedir, config=config).autograde("layers", "ada")


def test_the_course_asks_for_the_sandbox(collected):
    config = PyFileConfigLoader("nbgrader_config.py", path=str(collected.root)).load_config()
    assert config.KernelSandbox.mode == "on"


def test_without_a_working_sandbox_the_formgrader_grades_nobody(collected, monkeypatch, english):
    result = formgrader_autograde(collected, monkeypatch, "bwrap cannot make a user namespace")
    assert not result["success"]
    log = result["log"]
    assert "Not graded: the grading sandbox cannot start on this machine (bwrap cannot make a user namespace)" in log
    assert "Traceback" not in log and "SandboxUnavailable" not in log and "smiley_grader" not in log
    assert "smiley_grader" not in result.get("error", "")  # the formgrader shows nbgrader's traceback, none of ours
    assert not list((collected.root / "autograded").glob("ada/layers/*.ipynb"))


def test_a_teacher_who_sets_it_off_on_purpose_still_grades(collected, monkeypatch, english):
    """The one way round it, on purpose: c.KernelSandbox.mode = "off" (the kernel then runs unsandboxed)."""
    result = formgrader_autograde(collected, monkeypatch, "bwrap cannot make a user namespace", mode="off")
    assert result["success"], result.get("log")
    assert list((collected.root / "autograded").glob("ada/layers/layers.ipynb"))
