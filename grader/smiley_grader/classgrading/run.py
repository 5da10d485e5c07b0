"""The whole job for one assignment: autograde every collected student on a Dask cluster
(N at a time on a LocalCluster, or on the teacher's scheduler), then nbgrader's generate_feedback and export (CSV), then the class report.

    from smiley_grader.classgrading.run import grade_class
    summary = grade_class("path/to/course", "layers", workers=2)
    summary.results, summary.csv, summary.report
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from smiley_grader.classgrading.database import db_url
from smiley_grader.classgrading.pool import grade_all
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


def grade_class(course, assignment: str, *, workers: int = 2, force: bool = False, url: str | None = None,
                env: dict | None = None, timeout: float | None = None, out: Path | None = None,
                stream=None, on_start=None, students=None, report: bool = True, options=(), cache=True,
                sandbox: bool = True, scheduler: str | None = None) -> ClassRun:
    """`sandbox=False`: kernels run without the sandbox (grading/sandbox.py); with it, a machine
    where it cannot work stops here with one line. `scheduler`: a Dask scheduler's address to grade
    on instead of a LocalCluster of `workers` (its workers must see the course folder)."""
    from smiley_checks.messages import say

    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").exists():
        from smiley_checks.errors import SmileyChecksError

        raise SmileyChecksError(say("grade.no_course", path=course))
    env = {**(env or {}), **sandbox_setting(sandbox)}
    url = db_url(course, url)
    from smiley_grader.isolation import pin_fingerprint

    pin_fingerprint()  # before any student's kernel runs: every judge of this run checks against it
    results = grade_all(course, assignment, url, workers=workers, force=force, students=students, env=env,
                        timeout=timeout, options=options, stream=stream, on_start=on_start, cache=cache,
                        scheduler=scheduler, sandbox=sandbox)
    run = ClassRun(course, assignment, url, results)
    out = Path(out) if out else course / "classgrading" / assignment
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

        run.report = write_report(collect(course, assignment, url, results), out / "report.html")
    return run
