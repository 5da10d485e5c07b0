"""A Dask worker dies in the middle of a student's notebook: the student is graded once, on another
worker, with the expected scores, and the job table shows the retry; a student whose grading stops a
worker every time is failed with one line after three, and the class run goes on (kim, in the queue
while workers die around her, is graded once).

Real worker processes (the LocalCluster `smiley-checks grade` starts) and the real nbgrader on the example
class. The hook that kills runs on the worker as the student's autograde starts (pool.py's on_start)."""

import os
import signal
import sys
import time

import cloudpickle
import pytest

from expected_scores import EXPECTED

pytestmark = pytest.mark.slow
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the hook below travels to the workers by value


def process_state(pid: int) -> str:
    """'R', 'S', ... while it runs; 'gone' once it is reaped, 'Z' while it is a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return "gone"


def has_children(pid: int) -> bool:
    import psutil

    try:
        return bool(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return False


def killer(folder, once: str, always: str, seconds: float):
    def on_start(student, process):
        marks = folder / student
        marks.mkdir(exist_ok=True)
        tries = [p for p in marks.iterdir() if p.name.isdigit()]  # one file per attempt: "PID STATES-OF-EARLIER"
        attempt = len(tries) + 1
        earlier = [int(p.read_text().split()[0]) for p in tries]
        # What became of the autogrades of the attempts whose worker died, as this one starts.
        (marks / str(attempt)).write_text(f"{process.pid} " + ",".join(process_state(pid) for pid in earlier))
        if student == always or (student == once and attempt == 1):
            # Killed while the notebook runs: once its kernel has started (a fixed wait from the start alone
            # lost the race on a quick run: ada's layers notebook was graded in under 8 s, 2026-12-05).
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not has_children(process.pid):
                time.sleep(0.1)
            time.sleep(seconds)
            (marks / f"{attempt}.alive").write_text(process_state(process.pid))
            os.kill(os.getpid(), signal.SIGKILL)  # the worker process itself, as the kernel's OOM killer would
    return on_start


def test_a_worker_that_dies_mid_notebook_costs_a_retry_not_a_grade(tmp_path, english):
    from smiley_grader.classgrading.database import db_url, grades
    from smiley_grader.classgrading.example import collected_class
    from smiley_grader.classgrading.jobs import JobTable, jobs_url
    from smiley_grader.classgrading.run import grade_class

    course, students = collected_class(tmp_path / "course", "layers", students=["ada", "dirk", "kim"])
    marks = tmp_path / "marks"
    marks.mkdir()
    env = {"HOME": str(course.home("teacher")), "SMILEY_CHECKS_LANG": "en"}
    run = grade_class(course.root, "layers", workers=2, env=env, on_start=killer(marks, "ada", "dirk", 2.0),
                      report=False, stream=open(os.devnull, "w"))

    assert {s: r.status for s, r in run.results.items()} == {"ada": "graded", "dirk": "failed", "kim": "graded"}
    assert run.results["dirk"].reason == ("grading this student stopped a Dask worker 3 times, so it was not tried "
                                          "again: run this notebook by hand to see what it does")
    # ada's first autograde was running when its worker died, and was gone when the retry started:
    # only the retry wrote her grades.
    assert (marks / "ada" / "1.alive").read_text() in ("R", "S", "D")
    assert (marks / "ada" / "2").read_text().split()[1] in ("gone", "Z")
    assert sorted(p.name for p in (marks / "ada").iterdir()) == ["1", "1.alive", "2"]
    scores = {(g.student, g.task): g.score for g in grades(db_url(course.root), "layers")}
    for student in ("ada", "kim"):
        assert {t: v for (s, t), v in scores.items() if s == student} == EXPECTED["layers"][student]

    # dirk's notebook stopped 3 workers (3 autogrades started); the 4th start refused at once.
    assert sorted(p.name for p in (marks / "dirk").iterdir() if p.name.isdigit()) == ["1", "2", "3"]
    assert not (marks / "kim" / "2").exists()
    jobs = {j.student: j for j in JobTable(jobs_url(course.root, run.url)).jobs()}
    assert {s: (j.state, j.attempts) for s, j in jobs.items()} == {
        "ada": ("graded", 2), "dirk": ("failed", 4), "kim": ("graded", 1)}
    first, second = jobs["ada"].workers.split(",")
    assert first != second  # the dead worker's address is not used again
    assert "stopped a Dask worker 3 times" in jobs["dirk"].note
