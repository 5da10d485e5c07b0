"""A class of 30 `break_the_model` submissions graded with `grade --workers 2` and the verdict cache.

The class is made from the example class's three submissions, as a real class looks: many
students hand in the same answers. 12 copies of ada (complete; smallest break: the last
layer's softmax changed to relu), 6 of a classmate who changed it to sigmoid instead (still
reliable: the task is not done), 6 blank notebooks (bert) and 6 wrong ones (dirk). Between
them there are 5 different networks that train, so the cache trains 25 seeds, not 18 x 4 x 5.
The time is the whole `grade` job: autograde, feedback, export and the class report, which
is kept in out/bench/class30/ (the README's screenshot is of it).
Target: at most 10 minutes on 2 cores.
Command line: python -m benchmarks.class30_bench
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ASSIGNMENT = "break_the_model"
PROFILES = (("ada", 12), ("sigmoid", 6), ("bert", 6), ("dirk", 6))  # interleaved: the workers mix them
TARGET_MINUTES = 10
OUT = Path("out/bench/class30")


def sigmoid_notebook(ada: Path, into: Path) -> Path:
    """ada's notebook with her smallest break's last layer ending in sigmoid instead of relu."""
    import nbformat

    nb = nbformat.read(ada, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_smallest_break":
            head, _, tail = cell.source.rpartition('keras.layers.Dense(2, activation="relu")')
            cell.source = head + 'keras.layers.Dense(2, activation="sigmoid")' + tail
    nbformat.write(nb, into)
    return into


def class_of_30(scratch: Path) -> dict[str, Path]:
    from smiley_grader.demo_cycle import SUBMISSIONS

    sources = {name: SUBMISSIONS / name / f"{ASSIGNMENT}.ipynb" for name in ("ada", "bert", "dirk")}
    sources["sigmoid"] = sigmoid_notebook(sources["ada"], scratch / "sigmoid.ipynb")
    queue = [name for name, count in PROFILES for _ in range(count)]
    order = sorted(range(len(queue)), key=lambda i: (queue[:i + 1].count(queue[i]), i))  # round robin
    return {f"s{n + 1:02d}_{queue[i]}": sources[queue[i]] for n, i in enumerate(order)}


def main() -> None:
    from smiley_grader.classgrading.example import collected_from
    from smiley_grader.classgrading.run import grade_class
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="smiley-class30-") as scratch:
        scratch = Path(scratch)
        course, students = collected_from(scratch / "course", ASSIGNMENT, class_of_30(scratch))
        cache = VerdictCache(scratch / "verdicts", new_secret())
        started = time.perf_counter()
        done = grade_class(course.root, ASSIGNMENT, workers=2, env={"HOME": str(course.home("teacher"))},
                           stream=io.StringIO(), out=OUT.resolve(), cache=cache)
        minutes = (time.perf_counter() - started) / 60
        trained = len(list(cache.folder.glob("*.json")))
    results = list(done.results.values())
    run = {"per_submission": [r.seconds for r in results], "peak_mb": [r.peak_mb for r in results],
           "failed": sorted(done.failed)}
    verdict = "met" if minutes <= TARGET_MINUTES else "missed"
    print(f"class of {len(students)} ({ASSIGNMENT}), grade --workers 2 with the verdict cache: {minutes:.1f} min "
          f"(target {TARGET_MINUTES} min: {verdict}); seeds trained {trained}; median per student "
          f"{statistics.median(run['per_submission']):.1f} s; peak per worker {max(run['peak_mb']):.0f} MB; "
          f"failed {len(run['failed'])}; load average before/after {load[0]:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
    print(f"class report: {OUT / 'report.html'}")
    print(json.dumps({"students": len(students), "minutes": round(minutes, 2), "seeds_trained": trained,
                      "median_s": round(statistics.median(run["per_submission"]), 1),
                      "worker_peak_mb": round(max(run["peak_mb"])), "failed": run["failed"]}))


if __name__ == "__main__":
    main()
