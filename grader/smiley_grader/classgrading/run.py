"""The whole job for one or several assignments of one or several courses: autograde every collected
student on one Dask cluster (N at a time on a LocalCluster, or on the teacher's scheduler), then per
course and assignment nbgrader's generate_feedback and export (CSV), then the class report.

    from smiley_grader.classgrading.run import grade_class, grade_classes
    summary = grade_class("path/to/course", "layers", workers=2)
    summary.results, summary.csv, summary.report
    runs = grade_classes(["3a", "3b"], ["layers", "break_the_model"])   # 4 ClassRuns, one cluster
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from smiley_grader.classgrading.database import db_url
from smiley_grader.classgrading.worker import StudentResult, environment, nbgrader_command


@dataclass
class ClassRun:
    course: Path
    assignment: str
    url: str
    results: dict[str, StudentResult]
    csv: Path | None = None
    report: Path | None = None
    problems: list[str] = field(default_factory=list)  # feedback/export that did not work

    @property
    def failed(self) -> dict[str, StudentResult]:
        return {s: r for s, r in self.results.items() if r.status == "failed"}


def nbgrader(course: Path, env: dict | None, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*nbgrader_command(), *args], cwd=course, env=environment(env),
                          capture_output=True, text=True)


def sandbox_setting(sandbox: bool) -> dict:
    from smiley_checks.errors import SmileyChecksError
    from smiley_grader.sandbox import problem
    from smiley_grader.sandbox_kernel import MODE_VARIABLE
    from smiley_checks.messages import say

    why = problem() if sandbox else None
    if why:
        raise SmileyChecksError(say("grade.no_sandbox", why=why))
    return {MODE_VARIABLE: "on" if sandbox else "off"}


def grade_class(course, assignment: str, **options) -> ClassRun:
    """One course's assignment; see grade_classes."""
    return grade_classes([course], [assignment], **options)[0]


def grade_classes(courses, assignments, *, workers: int = 2, force: bool = False, url: str | None = None,
                  env: dict | None = None, timeout: float | None = None, out: Path | None = None,
                  stream=None, on_start=None, students=None, report: bool = True, options=(), cache=True,
                  sandbox: bool = True, scheduler: str | None = None) -> list[ClassRun]:
    """Every assignment of every course, on one Dask cluster: one task per (course, assignment, student),
    then per (course, assignment) nbgrader's feedback and CSV export (each course its own gradebook) and
    the class report. `sandbox=False`: kernels run without the sandbox (grading/sandbox.py); with it, a
    machine where it cannot work stops here with one line. `scheduler`: a Dask scheduler's address to
    grade on instead of a LocalCluster of `workers` (its workers must see the course folders). `url`
    (a gradebook other than the course's) and `out` are for one course; with several, `out` gets a
    folder per course and assignment."""
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say
    from smiley_grader.classgrading.pool import batch, course_names, grade_batches
    from smiley_grader.isolation import pin_fingerprint

    courses = [Path(course).resolve() for course in courses]
    for course in courses:
        if not (course / "nbgrader_config.py").exists():
            raise SmileyChecksError(say("grade.no_course", path=course))
    if url and len(courses) > 1:
        raise SmileyChecksError(say("grade.one_db_url"))
    env = {**(env or {}), **sandbox_setting(sandbox)}
    pin_fingerprint()  # before any student's kernel runs: every judge of this run checks against it
    batches = [batch(course, assignment, db_url(course, url), students=students, force=force)
               for course in courses for assignment in assignments]
    grade_batches(batches, workers=workers, env=env, timeout=timeout, options=options, stream=stream,
                  on_start=on_start, cache=cache, scheduler=scheduler, sandbox=sandbox)
    several = len(batches) > 1
    names = course_names(courses)
    return [finish(one, env, (Path(out) / names[one.course_root] / one.assignment if several else Path(out)) if out
                   else None, report) for one in batches]


def finish(one, env: dict, out: Path | None, report: bool) -> ClassRun:
    """nbgrader's feedback and export for one graded (course, assignment), then the class report."""
    from smiley_checks.messages import say

    course, assignment, url = one.course_root, one.assignment, one.url
    run = ClassRun(course, assignment, url, one.results)
    out = out or course / "classgrading" / assignment
    out.mkdir(parents=True, exist_ok=True)
    done = nbgrader(course, env, "generate_feedback", assignment, "--force", f"--CourseDirectory.db_url={url}")
    if done.returncode != 0:
        run.problems.append(say("grade.feedback_failed", tail=(done.stdout + done.stderr)[-500:]))
    csv = out / "grades.csv"
    done = nbgrader(course, env, "export", "--to", str(csv), f"--CourseDirectory.db_url={url}")
    if done.returncode == 0:
        run.csv = csv
    else:
        run.problems.append(say("grade.export_failed", tail=(done.stdout + done.stderr)[-500:]))
    if report:
        from smiley_grader.classgrading.report import collect, write_report

        run.report = write_report(collect(course, assignment, url, one.results), out / "report.html")
    return run
