"""`make demo` passes a relative folder; nbgrader runs inside the course folder, so it must be made absolute."""

from pathlib import Path

from smiley_grader import demo_cycle


def test_a_relative_workdir_is_resolved_before_nbgrader_runs(tmp_path, monkeypatch):
    seen = {}

    class StopHere(Exception):
        pass

    def fake_create(workdir, assignments, log, settings=""):
        seen["workdir"] = workdir
        raise StopHere

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demo_cycle.Course, "create", staticmethod(fake_create))
    try:
        demo_cycle.run_class("out/nbgrader", log=lambda *_: None)
    except StopHere:
        pass
    assert seen["workdir"] == tmp_path / "out" / "nbgrader"
    assert Path(seen["workdir"]).is_absolute()


def test_the_demo_says_where_the_csv_and_the_reports_are(tmp_path, english):
    from smiley_grader.classgrading.run import ClassRun
    from smiley_grader.classgrading.worker import StudentResult
    from smiley_grader.course import Course

    course = Course(tmp_path)
    runs = {"layers": ClassRun(course.root, "layers", "sqlite://", {"ada": StudentResult("ada", "graded")},
                               report=tmp_path / "layers" / "report.html"),
            "break_the_model": ClassRun(course.root, "break_the_model", "sqlite://",
                                        {"bert": StudentResult("bert", "failed", reason="killed")},
                                        report=tmp_path / "break" / "report.html")}
    result = demo_cycle.CycleResult(course, {}, {}, tmp_path / "grades.csv", {}, {"total": 61.0}, runs)
    lines = demo_cycle.where_to_look(result)
    assert f"Grades as CSV: {tmp_path / 'grades.csv'}" in lines
    assert f"Class report for layers (open it in a browser): {tmp_path / 'layers' / 'report.html'}" in lines
    assert "NOT graded: bert (killed)" in lines
    assert lines[-1] == "Time: total 61 s"


def test_the_example_course_gets_its_small_limits(tmp_path):
    """The example class's course adds EXAMPLE_LIMITS to its config; its honest notebooks fit in them
    (docs/sandbox.md has the measurements), its attackers meet them in seconds."""
    from traitlets.config import Config

    from smiley_grader.course import Course

    course = Course.create(tmp_path / "example", assignments=("lagen",), settings=demo_cycle.EXAMPLE_LIMITS)
    config = Config()
    exec(compile((course.root / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"),
         {"get_config": lambda: config})
    assert config.KernelSandbox.notebook_timeouts == {"lagen": 75}
    assert config.KernelSandbox.memory_total == 2300 * 1024**2
    plain = Course.create(tmp_path / "plain", assignments=("lagen",))
    assert "c.KernelSandbox.memory_total = 2300" not in (plain.root / "nbgrader_config.py").read_text()
