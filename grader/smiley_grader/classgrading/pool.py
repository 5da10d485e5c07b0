"""The class run on Dask: one task per (course, assignment, student), a line as each finishes.

`grade_batches` grades one or several (course, assignment) batches on one cluster; `grade_all` one.
It skips who is graded already (state.py), starts a LocalCluster of `workers`
processes (or connects to the teacher's scheduler: cluster.py), submits one task per student
(task.py, `pure=False`: grading again is never answered from an earlier result) and prints a
line per finished student in the order Dask's `as_completed` hands them over, saving the state
file and the job table (jobs.py) after each. With the sandbox on, a task goes only to a worker
whose sandbox works (sandbox_worker.py). A task whose worker dies is run again on another; one
that stopped cluster.WORKER_DEATHS workers (task.py counts them), or that Dask could not run at
all (an outside worker lacks our packages), is a failed student with one line; the others go on.

The students of one run share a verdict cache (training/verdict_cache.py): a network several
students hand in is trained once. It is a folder and a secret; the secret reaches each task with
its arguments (over the cluster's TLS) and the nbgrader subprocess through a pipe
(cache_handover.py), so every worker on this machine shares it. With a scheduler of the teacher's
its folder is in the course folder, which the workers see, on other machines too. Its folder and
secret live only for this run.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from smiley_grader.classgrading.progress import Progress
from smiley_grader.classgrading.state import is_graded, load_state, save_state
from smiley_grader.classgrading.students import collected
from smiley_grader.classgrading.worker import StudentResult


@dataclass
class Batch:
    """One (course, assignment) of a class run: who is graded, and the results so far."""
    course_root: Path
    assignment: str
    url: str  # its gradebook
    everyone: list[str]
    todo: list[str]
    results: dict[str, StudentResult]
    label: str = ""  # put before each student's line when a run grades several batches: "COURSE/ASSIGNMENT/"


def batch(course_root: Path, assignment: str, url: str, *, students=None, force: bool = False) -> Batch:
    """Who of (course, assignment) is to be graded: the collected students (or `students`), less those graded
    already (state.py) unless `force`."""
    course_root = Path(course_root).resolve()
    everyone = list(students) if students is not None else collected(course_root, assignment)
    previous = load_state(course_root, assignment)
    results = {s: previous[s] for s in everyone if s in previous}
    todo = [s for s in everyone if force or not is_graded(course_root, assignment, s, previous.get(s))]
    for student in everyone:
        if student not in todo and student not in results:
            results[student] = StudentResult(student, "skipped")
    return Batch(course_root, assignment, url, everyone, todo, results)


def grade_all(course_root: Path, assignment: str, url: str, *, students=None, force: bool = False,
              **options) -> dict[str, StudentResult]:
    """Autograde every collected student of one course's assignment (or `students`); see grade_batches."""
    return grade_batches([batch(course_root, assignment, url, students=students, force=force)], **options)[0].results


def grade_batches(batches: list[Batch], *, workers: int = 2, env: dict | None = None, timeout: float | None = None,
                  options=(), stream=None, on_start=None, cache=True, scheduler: str | None = None,
                  sandbox: bool = True) -> list[Batch]:
    """Autograde the students of every batch (courses, assignments) on one cluster: `workers` Dask workers
    of our own, or `scheduler`'s.
    `cache`: True shares verdicts through a cache made (and removed) for this run; a VerdictCache
    is used as it is and kept (benchmarks count its entries); False: no cache.
    `on_start(student, process)` runs on the worker (it is pickled) when a student's autograde starts.
    `sandbox`: only workers whose sandbox works take the students (sandbox_worker.py)."""
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret

    if len(batches) > 1:
        names = course_names([one.course_root for one in batches])
        for one in batches:
            one.label = f"{names[one.course_root]}/{one.assignment}/"
    waiting = [one for one in batches if one.todo]
    if waiting:
        own_cache = cache is True
        shared = (VerdictCache(tempfile.mkdtemp(prefix="smiley-verdicts-",
                                                dir=cache_parent(waiting[0].course_root, scheduler)), new_secret())
                  if own_cache else cache if isinstance(cache, VerdictCache) else None)
        try:
            run_on_dask(batches, workers=workers, scheduler=scheduler, stream=stream, sandbox=sandbox,
                        task_options=dict(env=task_environment(env), timeout=timeout, options=options,
                                          on_start=on_start, cache=shared))
        finally:
            if own_cache:
                shutil.rmtree(shared.folder, ignore_errors=True)
    for one in batches:
        save_state(one.course_root, one.assignment, one.results)
    return batches


def course_names(roots: list[Path]) -> dict[Path, str]:
    """Each course folder by the fewest last parts of its path that tell it from the others
    (/srv/3a/course and /srv/3b/course: 3a/course and 3b/course)."""
    unique = list(dict.fromkeys(roots))
    for depth in range(1, max(len(root.parts) for root in unique) + 1):
        names = {root: "/".join(root.parts[-depth:]) for root in unique}
        if len(set(names.values())) == len(unique):
            return names
    return {root: str(root) for root in unique}


def cache_parent(course_root: Path, scheduler: str | None) -> Path | None:
    """Where the run's verdict cache goes: this machine's temporary folder for its own LocalCluster;
    with a scheduler, the course folder, which its workers see (on other machines too)."""
    if not scheduler:
        return None
    folder = course_root / "classgrading"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def task_environment(env: dict | None) -> dict:
    """The run's environment for nbgrader, with the fingerprint its judges check (the worker may not have it)."""
    from smiley_grader.isolation import FINGERPRINT_ENV, pin_fingerprint

    return {FINGERPRINT_ENV: pin_fingerprint(), **(env or {})}


def run_on_dask(batches: list[Batch], *, workers: int, scheduler: str | None, stream, sandbox: bool,
                task_options: dict) -> None:
    from distributed import as_completed

    from smiley_checks.messages import language
    from smiley_grader.classgrading.cluster import dask_client, worker_slots
    from smiley_grader.classgrading.jobs import JobTable, jobs_url, new_run_id
    from smiley_grader.classgrading.sandbox_worker import RESOURCE
    from smiley_grader.classgrading.task import grade_task, stop_running, task_key

    run = new_run_id()
    tables = {id(one): JobTable(jobs_url(one.course_root, one.url)) for one in batches}
    with dask_client(workers, scheduler, sandbox=sandbox) as client:
        progress = Progress(sum(len(one.everyone) for one in batches), worker_slots(client, sandbox), stream)
        for _ in range(sum(len(one.everyone) - len(one.todo) for one in batches)):
            progress.skip("")
        # Only a worker whose sandbox works may run a student's code (sandbox_worker.py).
        needs = {"resources": {RESOURCE: 1}} if sandbox else {}
        futures = {}
        for one in batches:
            if not one.todo:
                continue
            tables[id(one)].add(run, one.assignment, one.todo)
            for student in one.todo:
                future = client.submit(grade_task, student, one.assignment, one.course_root, one.url,
                                       language=language(), key=task_key(one.course_root, one.assignment, student),
                                       pure=False, jobs=tables[id(one)], run=run, **needs, **task_options)
                futures[future] = (one, student)
        finished = False
        try:
            for future in as_completed(futures, loop=client.loop):
                one, student = futures[future]
                result = outcome(future, student)
                one.results[student] = result
                save_state(one.course_root, one.assignment, one.results)
                tables[id(one)].finished(run, one.assignment, student, result.status, result.reason)
                progress.finish(one.label + student, result.status == "graded", result.seconds)
            finished = True
        finally:
            if not finished:  # stopped (Ctrl-C) or broken: no autograde goes on without us
                client.cancel(list(futures))
                try:
                    client.run(stop_running)
                except Exception:
                    pass


def outcome(future, student: str) -> StudentResult:
    """The task's result, or a failed student saying in one line why Dask could not run it."""
    from smiley_checks.messages import say

    try:
        return future.result()
    except Exception as error:
        try:
            text = (str(error).splitlines() or [""])[0]
        except Exception:  # an exception that cannot say what it is still fails only this student
            text = ""
        why = f"{type(error).__name__}: {text}"[:200]
        return StudentResult(student, "failed", reason=say("grade.reason.worker", why=why))
