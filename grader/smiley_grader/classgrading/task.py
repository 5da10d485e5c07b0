"""What a Dask worker runs for one student: worker.grade_student, in the teacher's language,
counted as an attempt in the run's job table (jobs.py).

The worker is another process (on another machine with --scheduler), so it gets what the
teacher's process set by hand: the language of the reasons and notes, and the fingerprint of our
packages that every judge of the run checks against (isolation.pin_fingerprint). Anything that
goes wrong becomes a failed result: the class run goes on.
"""

from __future__ import annotations

import time
from pathlib import Path

from smiley_grader.classgrading.worker import StudentResult, grade_student


def task_key(course_root: Path, assignment: str, student: str) -> str:
    """One Dask key per (course, assignment, student) and run: what the scheduler shows."""
    import uuid

    return f"grade-{Path(course_root).name}/{assignment}/{student}-{uuid.uuid4().hex[:8]}"


def grade_task(student: str, assignment: str, course_root: Path, url: str, *, language: str, env: dict,
               timeout: float | None = None, options=(), on_start=None, cache=None, jobs=None,
               run: str = "") -> StudentResult:
    """`jobs`, `run`: the class run's job table (jobs.py), where this attempt is counted."""
    from smiley_checks.messages import say, set_language
    from smiley_grader.classgrading.cluster import WORKER_DEATHS

    set_language(language)
    started = time.perf_counter()
    attempt = 1
    if jobs is not None:
        try:
            earlier = jobs.result(run, assignment, student)
            if earlier is not None:  # graded already; its result was lost with the worker that held it
                return StudentResult.from_json(earlier)
            attempt = jobs.started(run, assignment, student, worker_address())
        except Exception:  # the table is a record: a student is graded even when it cannot be written
            pass
    try:
        if attempt > WORKER_DEATHS:  # every earlier attempt's worker died under it
            result = StudentResult(student, "failed", reason=say("grade.reason.killed_workers", times=WORKER_DEATHS))
        else:
            result = grade_student(student, assignment, course_root, url, env=env, timeout=timeout, options=options,
                                   on_start=(lambda process: on_start(student, process)) if on_start else None,
                                   cache=cache)
    except Exception as error:  # this student fails, the class run goes on
        result = StudentResult(student, "failed", reason=f"{type(error).__name__}: {error}",
                               seconds=round(time.perf_counter() - started, 2))
    result.worker = worker_address()
    if jobs is not None:
        try:
            jobs.done(run, assignment, student, result.to_json())
        except Exception:
            pass
    return result


def worker_address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except ValueError:  # called outside a Dask worker (a test)
        return ""


def stop_running() -> int:
    """Run on every worker when a class run is stopped: its autogrades end with it."""
    from smiley_grader.classgrading.worker import kill_running

    return kill_running()
