"""N students at a time, a state file, and skipping who is graded already.

The state file (<course>/classgrading/<assignment>.json) keeps each student's last
result. A rerun grades only who needs it: no autograded notebook yet, failed last time,
or handed in again since (a newer collected timestamp.txt); `force=True` grades
everyone again. A student autograded by plain nbgrader before counts as graded.

The students of one run share a verdict cache (training/verdict_cache.py): a network
several students hand in is trained once. Its folder and secret live only for this run.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from smiley_grader.classgrading.progress import Progress
from smiley_grader.classgrading.students import autograded_notebooks, collected
from smiley_grader.classgrading.worker import StudentResult, grade_student


def state_path(course_root: Path, assignment: str) -> Path:
    return Path(course_root) / "classgrading" / f"{assignment}.json"


def load_state(course_root: Path, assignment: str) -> dict[str, StudentResult]:
    path = state_path(course_root, assignment)
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {name: StudentResult.from_json(entry) for name, entry in data.get("students", {}).items()}


def save_state(course_root: Path, assignment: str, results: dict[str, StudentResult]) -> Path:
    path = state_path(course_root, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"assignment": assignment, "students": {s: r.to_json() for s, r in sorted(results.items())}}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1))
    tmp.replace(path)
    return path


def is_graded(course_root: Path, assignment: str, student: str, previous: StudentResult | None) -> bool:
    """Autograded, not failed last time, and not handed in again since (timestamp.txt differs)."""
    if not autograded_notebooks(course_root, student, assignment):
        return False
    stamps = [Path(course_root) / folder / student / assignment / "timestamp.txt" for folder in ("submitted", "autograded")]
    if all(p.exists() for p in stamps) and stamps[0].read_text().strip() != stamps[1].read_text().strip():
        return False
    return previous is None or previous.status in ("graded", "skipped")


def grade_all(course_root: Path, assignment: str, url: str, *, workers: int = 2, force: bool = False,
              students=None, env: dict | None = None, timeout: float | None = None, options=(),
              stream=None, on_start=None, cache=True) -> dict[str, StudentResult]:
    """Autograde every collected student (or `students`), `workers` at a time.
    `cache`: True shares verdicts through a cache made (and removed) for this run; a VerdictCache
    is used as it is and kept (benchmarks count its entries); False: no cache."""
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret

    course_root = Path(course_root)
    everyone = list(students) if students is not None else collected(course_root, assignment)
    previous = load_state(course_root, assignment)
    results = {s: previous[s] for s in everyone if s in previous}
    todo = [s for s in everyone if force or not is_graded(course_root, assignment, s, previous.get(s))]
    progress = Progress(len(everyone), workers, stream)
    for student in everyone:
        if student not in todo:
            progress.skip(student)
            if student not in results:
                results[student] = StudentResult(student, "skipped")
    lock = threading.Lock()
    own_cache = cache is True and bool(todo)
    shared = (VerdictCache(tempfile.mkdtemp(prefix="smiley-verdicts-"), new_secret()) if own_cache
              else cache if isinstance(cache, VerdictCache) else None)

    def one(student: str) -> StudentResult:
        progress.start(student)
        started = time.perf_counter()
        try:
            result = grade_student(student, assignment, course_root, url, env=env, timeout=timeout,
                                   options=options, on_start=(lambda p: on_start(student, p)) if on_start else None,
                                   cache=shared)
        except Exception as error:  # the class run goes on
            result = StudentResult(student, "failed", reason=f"{type(error).__name__}: {error}",
                                   seconds=round(time.perf_counter() - started, 2))
        progress.finish(student, result.status == "graded", result.seconds)
        with lock:
            results[student] = result
            save_state(course_root, assignment, results)
        return result

    stop_ticker = threading.Event()

    def tick():
        while not stop_ticker.wait(1.0):
            progress.show()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(one, todo))
    finally:
        stop_ticker.set()
        progress.close()
        if own_cache:
            shutil.rmtree(shared.folder, ignore_errors=True)
    save_state(course_root, assignment, results)
    return results
