"""nbgrader's serial autograde versus `grade --workers 2`, on the example class, in one run.

For each assignment of the example class (`layers`: 11 submissions, no training;
`break_the_model`: 3 submissions, up to 4 verdicts each):
(a) serial: one `nbgrader autograde ASSIGNMENT --force` for the whole class, as nbgrader does
    it; a submission's time is the gap between its autograded notebook and the one before;
(b) parallel: smiley_grader.classgrading with 2 workers (one `nbgrader autograde --student`
    subprocess per student, verdicts shared through the run's cache); a submission's time is
    its worker's time.
Peak memory is the largest resident set of each run's process tree (os.wait4's ru_maxrss:
nbgrader plus the kernels and judges it waited for), per worker for (b).
Command line: python -m benchmarks.grading_bench [ASSIGNMENT ...]
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ASSIGNMENTS = ("layers", "break_the_model")
WORKERS = 2


def serial(course, assignment: str, students) -> dict:
    from smiley_grader.classgrading.database import db_url
    from smiley_grader.classgrading.worker import environment, nbgrader_command, run_once

    command = [*nbgrader_command(), "autograde", assignment, "--force", f"--CourseDirectory.db_url={db_url(course.root)}"]
    started = time.time()
    attempt = run_once(command, course.root, environment({"HOME": str(course.home("teacher"))}),
                       course.root / "serial.log", None)
    finished = sorted((course.root / "autograded" / s / assignment / f"{assignment}.ipynb").stat().st_mtime
                      for s in students)
    gaps = [b - a for a, b in zip([started, *finished[:-1]], finished)]
    return {"wall": attempt.seconds, "per_submission": gaps, "peak_mb": attempt.peak_mb, "returncode": attempt.returncode}


def parallel(course, assignment: str, workers: int = WORKERS, cache=True) -> dict:
    """The autograde part of `grade --workers N` (feedback, export and report come after, in both cases)."""
    from smiley_grader.classgrading.database import db_url
    from smiley_grader.classgrading.pool import grade_all

    started = time.perf_counter()
    results = grade_all(course.root, assignment, db_url(course.root), workers=workers, force=True,
                        env={"HOME": str(course.home("teacher"))}, stream=io.StringIO(), cache=cache)
    wall = time.perf_counter() - started
    results = list(results.values())
    return {"wall": wall, "per_submission": [r.seconds for r in results], "peak_mb": [r.peak_mb for r in results],
            "failed": sorted(r.student for r in results if r.status == "failed")}


def compare(assignment: str) -> dict:
    from smiley_grader.classgrading.example import collected_class

    with tempfile.TemporaryDirectory(prefix="smiley-grading-bench-") as scratch:
        course, students = collected_class(Path(scratch), assignment)
        a = serial(course, assignment, students)
        b = parallel(course, assignment)
    n = len(students)
    median_a, median_b = statistics.median(a["per_submission"]), statistics.median(b["per_submission"])
    failed = f"  failed: {', '.join(b['failed'])}" if b["failed"] else ""
    print(f"{assignment}: {n} submissions")
    print(f"  serial autograde     {a['wall']:6.1f} s  ({a['wall'] / n:5.1f} s each, median {median_a:5.1f} s)  "
          f"peak {a['peak_mb']:.0f} MB")
    print(f"  grade --workers {WORKERS}    {b['wall']:6.1f} s  ({b['wall'] / n:5.1f} s each, median worker {median_b:5.1f} s)  "
          f"peak per worker {max(b['peak_mb']):.0f} MB (median {statistics.median(b['peak_mb']):.0f} MB){failed}")
    print(f"  speedup {a['wall'] / b['wall']:.2f}x wall clock; per-submission median serial/worker "
          f"{median_a / median_b:.2f}", flush=True)
    return {"assignment": assignment, "submissions": n, "serial_s": round(a["wall"], 1),
            "serial_median_s": round(median_a, 2), "parallel_s": round(b["wall"], 1),
            "parallel_median_worker_s": round(median_b, 2), "speedup": round(a["wall"] / b["wall"], 2),
            "median_ratio": round(median_a / median_b, 2), "serial_peak_mb": round(a["peak_mb"]),
            "worker_peak_mb": round(max(b["peak_mb"]))}


def main(assignments=ASSIGNMENTS) -> None:
    load = os.getloadavg()
    figures = [compare(assignment) for assignment in assignments]
    print(f"load average before/after: {load[0]:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(json.dumps({"load_before": round(load[0], 1), "runs": figures}))


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or ASSIGNMENTS)
