"""`smiley-checks grade ASSIGNMENT [ASSIGNMENT ...] [--course DIR ...]`: autograde whole classes on one
Dask cluster, N students at a time, then per course and assignment feedback, a CSV of the grades and a
class report (smiley_grader.classgrading)."""

from __future__ import annotations

from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("grade", help="autograde every collected student (in parallel), feedback, CSV, class report")
    parser.add_argument("assignments", nargs="+", metavar="assignment",
                        help="the assignment, e.g. layers or break_the_model; several: each of them")
    parser.add_argument("--workers", type=int, default=2, help="students graded at the same time (default: 2)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="grade on an existing Dask scheduler (e.g. tls://10.0.0.5:8786) instead of starting "
                             "--workers local workers; its workers must see the course folder (docs/grading.md)")
    parser.add_argument("--course", type=Path, action="append", default=None,
                        help="the nbgrader course folder (default: here); repeat it to grade several courses "
                             "on one cluster, each with its own gradebook")
    parser.add_argument("--force", action="store_true", help="grade again students who are graded already")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds one student's autograde may take in all (default: no limit beyond the cell timeouts)")
    parser.add_argument("--db-url", default=None, help="nbgrader's database URL (default: the course's gradebook.db)")
    parser.add_argument("--out", type=Path, default=None, help="folder for grades.csv and report.html "
                        "(default: COURSE/classgrading/ASSIGNMENT)")
    parser.add_argument("--no-cache", action="store_true",
                        help="train every student's networks, even when classmates handed in the same one")
    parser.add_argument("--unsandboxed", action="store_true",
                        help="grade where bubblewrap is missing: students' code then runs with your rights")
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_grader.classgrading.pool import course_names
    from smiley_grader.classgrading.run import grade_classes
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say

    if args.workers < 1:
        raise SmileyChecksError(say("grade.bad_workers"))
    if args.unsandboxed:
        print(say("grade.unsandboxed"))
    runs = grade_classes(args.course or [Path(".")], args.assignments, workers=args.workers, force=args.force,
                         url=args.db_url, timeout=args.timeout, out=args.out, cache=not args.no_cache,
                         sandbox=not args.unsandboxed, scheduler=args.scheduler)
    if not any(result.results for result in runs):
        if len(runs) == 1:
            raise SmileyChecksError(say("grade.nobody", assignment=runs[0].assignment, path=runs[0].course / "submitted"))
        raise SmileyChecksError(say("grade.nobody_anywhere"))
    names = course_names([result.course for result in runs])
    for result in runs:
        if len(runs) > 1:
            print(f"{names[result.course]}/{result.assignment}:")
        summarise(result)
    return 1 if any(result.failed for result in runs) else 0


def summarise(result) -> None:
    from smiley_grader.classgrading.notes import note_text
    from smiley_checks.messages import say

    if not result.results:
        print(say("grade.nobody", assignment=result.assignment, path=result.course / "submitted"))
        return
    for student, outcome in sorted(result.results.items()):
        if outcome.status == "failed" or outcome.notes:
            why = "; ".join(([outcome.reason] if outcome.reason else []) + [note_text(n) for n in outcome.notes])
            print(f"  {student}: {say('grade.status.' + outcome.status)} - {why}")
    for problem in result.problems:
        print(problem)
    if result.csv:
        print(say("grade.csv", path=result.csv))
    if result.report:
        print(say("grade.report_written", path=result.report))
