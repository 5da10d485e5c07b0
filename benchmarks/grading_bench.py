"""nbgrader's serial autograde versus `grade --workers 2`, on the example class (`layers`).

(a) serial: one `nbgrader autograde layers --force` for the whole class, as nbgrader does
    it; a submission's time is the gap between its autograded notebook and the one before;
(b) parallel: smiley_checks.classgrading with 2 workers (one `nbgrader autograde --student`
    subprocess per student); a submission's time is its worker's time.
Peak memory is the largest resident set of each run's process tree (os.wait4's ru_maxrss:
nbgrader plus the kernels and judges it waited for), per worker for (b).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ASSIGNMENT = "layers"
WORKERS = 2


def serial(course, students) -> dict:
    from smiley_checks.classgrading.database import db_url
    from smiley_checks.classgrading.worker import environment, nbgrader_command, run_once

    command = [*nbgrader_command(), "autograde", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={db_url(course.root)}"]
    started = time.time()
    attempt = run_once(command, course.root, environment({"HOME": str(course.home("teacher"))}),
                       course.root / "serial.log", None)
    finished = sorted((course.root / "autograded" / s / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").stat().st_mtime
                      for s in students)
    gaps = [b - a for a, b in zip([started, *finished[:-1]], finished)]
    return {"wall": attempt.seconds, "per_submission": gaps, "peak_mb": attempt.peak_mb, "returncode": attempt.returncode}


def parallel(course, students) -> dict:
    """The autograde part of `grade --workers 2` (feedback, export and report come after, in both cases)."""
    from smiley_checks.classgrading.database import db_url
    from smiley_checks.classgrading.pool import grade_all

    started = time.perf_counter()
    results = grade_all(course.root, ASSIGNMENT, db_url(course.root), workers=WORKERS, force=True,
                        env={"HOME": str(course.home("teacher"))}, stream=io.StringIO())
    wall = time.perf_counter() - started
    results = list(results.values())
    return {"wall": wall, "per_submission": [r.seconds for r in results], "peak_mb": [r.peak_mb for r in results],
            "failed": sorted(r.student for r in results if r.status == "failed")}


def main() -> None:
    from smiley_checks.classgrading.example import collected_class

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="smiley-grading-bench-") as scratch:
        course, students = collected_class(Path(scratch), ASSIGNMENT)
        n = len(students)
        a = serial(course, students)
        b = parallel(course, students)
    median_a = statistics.median(a["per_submission"])
    median_b = statistics.median(b["per_submission"])
    print(f"serial autograde    {a['wall']:6.1f} s for {n} submissions  ({a['wall'] / n:5.1f} s each, "
          f"median {median_a:5.1f} s)  peak {a['peak_mb']:.0f} MB")
    print(f"grade --workers {WORKERS}  {b['wall']:6.1f} s for {n} submissions  ({b['wall'] / n:5.1f} s each, "
          f"median worker {median_b:5.1f} s)  peak per worker {max(b['peak_mb']):.0f} MB "
          f"(median {statistics.median(b['peak_mb']):.0f} MB){'  failed: ' + ', '.join(b['failed']) if b['failed'] else ''}")
    print(f"load average before/after: {load[0]:.1f}/{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"class grading speedup: {a['wall'] / b['wall']:.2f}x (serial {a['wall'] / n:.1f} s vs "
          f"{WORKERS} workers {b['wall'] / n:.1f} s per submission, wall clock)")
    print(json.dumps({"serial_s_per_submission": round(a["wall"] / n, 2), "serial_median_s": round(median_a, 2),
                      "parallel_s_per_submission": round(b["wall"] / n, 2), "parallel_median_worker_s": round(median_b, 2),
                      "speedup": round(a["wall"] / b["wall"], 2), "serial_peak_mb": round(a["peak_mb"]),
                      "worker_peak_mb": round(max(b["peak_mb"])),
                      "load_before": round(load[0], 1)}))


if __name__ == "__main__":
    main()
