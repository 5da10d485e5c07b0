"""`make demo` passes a relative folder; nbgrader runs inside the course folder, so it must be made absolute."""

from pathlib import Path

from smiley_checks.grading import demo_cycle


def test_a_relative_workdir_is_resolved_before_nbgrader_runs(tmp_path, monkeypatch):
    seen = {}

    class StopHere(Exception):
        pass

    def fake_create(workdir, assignments, log):
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
