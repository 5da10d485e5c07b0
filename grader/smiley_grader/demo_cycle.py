"""The whole teacher-student-grade cycle with nbgrader, for `make demo` and the tests.

    from smiley_grader.demo_cycle import run_cycle
    print(run_cycle("out/nbgrader"))          # both assignments, the whole example class

The teacher releases both assignments, every example student (tests/nbgrader/submissions)
fetches and submits, the teacher collects, autogrades, writes feedback and exports the
grades. With `workers=N` the teacher grades with `smiley-checks grade --workers N`
(parallel, a shared verdict cache, a class report) instead of nbgrader's serial autograde.
Returns the grade table; the feedback HTML is in <workdir>/course/feedback/.
Command line: python -m smiley_grader.demo_cycle [WORKDIR] [--only layers] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_grader.course import ASSIGNMENTS, Course, Grade, Run

SUBMISSIONS = REPO_ROOT / "tests" / "nbgrader" / "submissions"
# The example class's course adds these to its nbgrader_config.py, as a teacher may: limits smaller than
# the defaults, so that its attackers (tests/nbgrader/expected_scores.py) meet them in seconds, not
# minutes, while every honest notebook of the class stays well inside (measured, docs/sandbox.md).
EXAMPLE_LIMITS = """
# The example class: smaller limits than the defaults (smiley_grader.demo_cycle.EXAMPLE_LIMITS).
c.KernelSandbox.memory_total = 2300 * 1024**2  # its largest honest kernels: 1309 MB (ada's breek_het_model), ugo's 1651 MB (when he printed 300 MB)
c.KernelSandbox.notebook_timeouts = {"lagen": 75}  # honest lagen notebooks: 35 s, finn's 53 s (busy machine)
"""


@dataclass
class CycleResult:
    course: Course
    autograde: dict[str, Run]
    grades: dict[tuple[str, str, str], Grade]
    csv: Path
    submitted: dict[tuple[str, str], Path]
    seconds: dict[str, float] = field(default_factory=dict)
    class_runs: dict = field(default_factory=dict)  # assignment -> classgrading.run.ClassRun (workers=N)

    @property
    def feedback_dir(self) -> Path:
        return self.course.root / "feedback"


def find_submissions(folder: Path = SUBMISSIONS, assignments=ASSIGNMENTS, students=None) -> dict[tuple[str, str], Path]:
    found = {}
    for path in sorted(Path(folder).glob("*/*.ipynb")):
        student, assignment = path.parent.name, path.stem
        if assignment in assignments and (students is None or student in students):
            found[(student, assignment)] = path
    return found


def run_class(workdir, assignments=ASSIGNMENTS, students=None, submissions: Path = SUBMISSIONS,
              log=print, fresh: bool = True, before_autograde=None, workers: int | None = None,
              progress=None) -> CycleResult:
    """The whole cycle; `before_autograde(course)` may look at the collected submissions first.
    `workers`: grade with `smiley-checks grade --workers N` (None: nbgrader's serial autograde);
    `progress`: where its progress line goes (default stdout)."""
    workdir = Path(workdir).resolve()  # nbgrader runs inside the course folder: relative paths would break
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    seconds = {}
    started = time.perf_counter()
    course = Course.create(workdir, assignments=assignments, log=log, settings=EXAMPLE_LIMITS)
    found = find_submissions(submissions, assignments, students)
    course.import_students(sorted({student for student, _ in found}))
    for assignment in assignments:
        course.release(assignment)
    seconds["release"] = time.perf_counter() - started
    mark = time.perf_counter()
    # Students hand in at the same time; two at once keeps a 2-core machine busy.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(course.submit, student, assignment, path)
                     for (student, assignment), path in sorted(found.items())]:
            done.result()
    seconds["submit"] = time.perf_counter() - mark
    if before_autograde:
        before_autograde(course)
    runs, class_runs = {}, {}
    for assignment in assignments:
        mark = time.perf_counter()
        course.collect(assignment)
        if workers:
            from smiley_grader.classgrading.run import grade_class

            class_runs[assignment] = grade_class(course.root, assignment, workers=workers, stream=progress,
                                                 env={"HOME": str(course.home("teacher"))})
        else:
            runs[assignment] = course.autograde(assignment)
        seconds[f"autograde {assignment}"] = time.perf_counter() - mark
        if not workers:  # grade_class writes the feedback itself
            course.feedback(assignment)
    csv = course.export()
    seconds["total"] = time.perf_counter() - started
    return CycleResult(course, runs, course.grades(), csv, found, seconds, class_runs)


def table(result: CycleResult) -> str:
    """One block per assignment: a row per student, a column per graded cell, then the total."""
    blocks = []
    for assignment in sorted({a for _, a, _ in result.grades}, key=lambda a: list(ASSIGNMENTS).index(a)):
        cells = []
        for (_, a, name) in result.grades:
            if a == assignment and name not in cells:
                cells.append(name)
        order = _notebook_order(result.course, assignment)
        cells.sort(key=lambda name: order.get(name, len(order)))
        students = sorted({s for s, a, _ in result.grades if a == assignment})
        header = ["student"] + [f"{i + 1}" for i in range(len(cells))] + ["total"]
        lines = [f"== {assignment} ==", "  ".join(f"{h:>7}" for h in header)]
        for student in students:
            row, total, most = [student], 0.0, 0.0
            for name in cells:
                grade = result.grades[(student, assignment, name)]
                row.append("m" if grade.needs_manual_grade else f"{grade.score:g}")
                total += grade.score
                most += grade.max_score
            row.append(f"{total:g}/{most:g}")
            lines.append("  ".join(f"{cell:>7}" for cell in row))
        lines.append("columns: " + ", ".join(f"{i + 1}={name}" for i, name in enumerate(cells)))
        lines.append("m = a written answer waiting for the teacher")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _notebook_order(course: Course, assignment: str) -> dict[str, int]:
    import nbformat

    path = course.root / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    return {name: i for i, name in enumerate(ids) if name}


def where_to_look(result: CycleResult) -> list[str]:
    """The files a teacher opens afterwards, one line each."""
    from smiley_checks.messages import say

    lines = [say("demo.feedback", path=f"{result.feedback_dir}/<student>/<assignment>/<assignment>.html"),
             say("grade.csv", path=result.csv)]
    for assignment, run in result.class_runs.items():
        if run.report:
            lines.append(say("demo.report", assignment=assignment, path=run.report))
        lines += [say("demo.not_graded", student=s, reason=r.reason) for s, r in sorted(run.failed.items())]
        lines += run.problems
    lines.append(say("demo.time", times=", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.seconds.items())))
    return lines


def run_cycle(workdir="out/nbgrader", assignments=ASSIGNMENTS, students=None, log=print,
              workers: int | None = None) -> str:
    """Release, submit the example class, autograde, give feedback; return the grade table."""
    result = run_class(workdir, assignments, students, log=log, workers=workers)
    return "\n".join([table(result), "", *where_to_look(result)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir", nargs="?", default="out/nbgrader")
    parser.add_argument("--only", choices=ASSIGNMENTS, help="one assignment only")
    parser.add_argument("--students", nargs="*", help="only these example students")
    parser.add_argument("--workers", type=int, default=None,
                        help="grade with `smiley-checks grade --workers N` (default: nbgrader's serial autograde)")
    args = parser.parse_args(argv)
    assignments = (args.only,) if args.only else ASSIGNMENTS
    print(run_cycle(args.workdir, assignments, args.students, workers=args.workers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
