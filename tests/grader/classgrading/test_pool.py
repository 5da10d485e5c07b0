"""The class run on Dask (pool.py) with a stand-in for nbgrader: one task per student, a line as
each finishes, a failing student is one line and the others go on, the state file, a rerun.

The cluster here runs its workers as threads of the test's process (processes=False), so the
stand-in reaches them; test_cluster.py runs real worker processes."""

import io
import json
import sys
from types import SimpleNamespace

import pytest

from smiley_grader.classgrading import cluster, pool, worker
from smiley_grader.classgrading.sandbox_worker import RESOURCE


@pytest.fixture
def threaded_cluster(monkeypatch):
    from distributed import LocalCluster

    made = []

    def local(workers):
        # Workers that offer the sandbox, as those of `smiley-checks grade` do where it works (sandbox_worker.py).
        made.append(LocalCluster(n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=None,
                                 resources={RESOURCE: 1}))
        return made[-1]

    monkeypatch.setattr(cluster, "local_cluster", local)
    yield made
    assert all(c.status.name == "closed" for c in made)  # closed by the run, not by this fixture


def fake_class(tmp_path, students):
    for student in students:
        folder = tmp_path / "submitted" / student / "layers"
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-12-04 10:00:00 UTC")
    script = tmp_path / "fake_autograde.py"
    # The stand-in for `nbgrader autograde --student=ID`: "bert" fails, everyone else gets a notebook.
    script.write_text(
        "import pathlib, shutil, sys\n"
        "student = [a for a in sys.argv if a.startswith('--student=')][0].split('=')[1]\n"
        "if student == 'bert': print('[AutogradeApp | ERROR] bert broke it'); sys.exit(1)\n"
        "out = pathlib.Path('autograded', student, 'layers'); out.mkdir(parents=True, exist_ok=True)\n"
        "(out / 'layers.ipynb').write_text('{}')\n"
        "shutil.copy(pathlib.Path('submitted', student, 'layers', 'timestamp.txt'), out)\n")
    return script


def test_one_task_per_student_a_line_each_and_a_failure_is_one_line(tmp_path, monkeypatch, threaded_cluster, english):
    script = fake_class(tmp_path, ["ada", "bert", "kim"])
    monkeypatch.setattr(worker, "autograde_command", lambda *a, **k: [sys.executable, str(script), *a[1:2]] + [
        f"--student={a[1]}"])
    monkeypatch.setattr(worker, "notebook_notes", lambda *a: [], raising=False)
    submitted = []
    real_submit = __import__("distributed").Client.submit

    def submit(self, function, *args, **kwargs):
        submitted.append((kwargs["key"], kwargs["pure"]))
        return real_submit(self, function, *args, **kwargs)

    monkeypatch.setattr("distributed.Client.submit", submit)
    out = io.StringIO()
    results = pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=2, stream=out, cache=False)
    assert {s: r.status for s, r in results.items()} == {"ada": "graded", "bert": "failed", "kim": "graded"}
    assert "bert broke it" in results["bert"].reason
    assert all(r.worker.startswith("inproc://") for r in results.values())  # each ran as a Dask task
    assert sorted(key.rsplit("-", 1)[0] for key, _ in submitted) == [
        f"grade-{tmp_path.name}/layers/{s}" for s in ("ada", "bert", "kim")]
    assert all(pure is False for _, pure in submitted)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and sum("bert: NOT graded" in line for line in lines) == 1
    assert lines[-1].split(" | ")[1].startswith("graded 3/3 (skipped 0), running 0, failed 1")
    state = json.loads((tmp_path / "classgrading" / "layers.json").read_text())
    assert {s: e["status"] for s, e in state["students"].items()} == {"ada": "graded", "bert": "failed", "kim": "graded"}

    # A rerun grades only bert, who failed: one task, one line.
    submitted.clear()
    out = io.StringIO()
    again = pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=2, stream=out, cache=False)
    assert [key.rsplit("-", 1)[0] for key, _ in submitted] == [f"grade-{tmp_path.name}/layers/bert"]
    assert out.getvalue().count("\n") == 1 and "graded 3/3 (skipped 2)" in out.getvalue()
    assert again["ada"] == results["ada"]


def test_a_task_dask_could_not_run_is_a_failed_student_with_one_line(english):
    from distributed.scheduler import KilledWorker

    class Lost:
        def result(self):
            raise KilledWorker("grade-c/layers/ada-1234", SimpleNamespace(address="tcp://127.0.0.1:3333"), 3)

    result = pool.outcome(Lost(), "ada")
    assert result.status == "failed" and "\n" not in result.reason
    assert result.reason.startswith("the Dask worker could not grade this student: KilledWorker")

    class Missing:  # an outside worker without our packages
        def result(self):
            raise ModuleNotFoundError("No module named 'smiley_grader'")

    result = pool.outcome(Missing(), "ada")
    assert result.reason == ("the Dask worker could not grade this student: "
                             "ModuleNotFoundError: No module named 'smiley_grader'")


def test_a_stopped_run_leaves_no_autograde_running(tmp_path, monkeypatch, threaded_cluster, english):
    """Ctrl-C while a student is still being graded: the run stops, and so does that student's autograde."""
    import os
    import time

    for student in ("ada", "slow"):
        (tmp_path / "submitted" / student / "layers").mkdir(parents=True)
    pid_file = tmp_path / "slow.pid"
    script = tmp_path / "fake_autograde.py"
    script.write_text(
        "import os, pathlib, sys, time\n"
        f"pid = pathlib.Path({str(pid_file)!r})\n"
        "if sys.argv[1] == 'slow': pid.write_text(str(os.getpid())); time.sleep(120)\n"
        "deadline = time.time() + 20\n"
        "while not pid.exists() and time.time() < deadline: time.sleep(0.05)\n")
    monkeypatch.setattr(worker, "autograde_command", lambda assignment, student, *a, **k: [sys.executable, str(script), student])

    class Interrupted(io.StringIO):
        def write(self, text):
            raise KeyboardInterrupt  # the teacher presses Ctrl-C as the first line comes

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=2, stream=Interrupted(), cache=False)
    pid = int(pid_file.read_text())
    while os.path.exists(f"/proc/{pid}") and time.monotonic() - started < 30:
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{pid}")
    assert time.monotonic() - started < 30  # not the 120 s the slow autograde would take


def test_several_courses_and_assignments_share_one_cluster_each_course_its_own_records(
        tmp_path, monkeypatch, threaded_cluster, english):
    from smiley_grader.classgrading.jobs import JobTable, jobs_url

    courses = {"3a": ["ada", "kim"], "3b": ["ada", "bert"]}  # two students named ada, in two courses
    scripts = [fake_class(tmp_path / course, students) for course, students in courses.items()]
    for student in courses["3a"]:  # 3a also handed in a second assignment
        folder = tmp_path / "3a" / "submitted" / student / "break_the_model"
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-12-04 10:00:00 UTC")
    monkeypatch.setattr(worker, "autograde_command", lambda assignment, student, *a, **k: [
        sys.executable, "-c", "import sys; sys.exit(student == 'bert')".replace("student", repr(student))])
    monkeypatch.setattr(worker, "notebook_notes", lambda *a: [], raising=False)
    batches = [pool.batch(tmp_path / course, assignment, "sqlite:///x")
               for course in courses for assignment in ("layers", "break_the_model")]
    assert [len(b.todo) for b in batches] == [2, 2, 2, 0]  # 3b has no break_the_model
    out = io.StringIO()
    pool.grade_batches(batches, workers=2, stream=out, cache=False)

    assert len(threaded_cluster) == 1  # one cluster for all of them
    lines = out.getvalue().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == [
        "3a/break_the_model/ada", "3a/break_the_model/kim", "3a/layers/ada", "3a/layers/kim", "3b/layers/ada",
        "3b/layers/bert"]
    assert lines[-1].split(" | ")[1].startswith("graded 6/6 (skipped 0), running 0, failed 1")
    for one in batches:  # each course and assignment: its own state file and job table
        state = json.loads((one.course_root / "classgrading" / f"{one.assignment}.json").read_text())["students"]
        assert {s: e["status"] for s, e in state.items()} == {s: r.status for s, r in one.results.items()}
    assert {s: r.status for s, r in batches[2].results.items()} == {"ada": "graded", "bert": "failed"}
    jobs_3a = JobTable(jobs_url(tmp_path / "3a", "sqlite:///x")).jobs()
    assert sorted((j.assignment, j.student, j.state) for j in jobs_3a) == [
        ("break_the_model", "ada", "graded"), ("break_the_model", "kim", "graded"), ("layers", "ada", "graded"),
        ("layers", "kim", "graded")]
    assert len({j.run for j in jobs_3a}) == 1
