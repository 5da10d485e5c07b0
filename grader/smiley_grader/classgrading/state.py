"""The state file: each student's last result, so that a rerun grades only who needs it.

<course>/classgrading/<assignment>.json. A rerun grades a student with no autograded notebook
yet, one who failed last time, or one who handed in again since (a newer collected
timestamp.txt); `force=True` grades everyone again. A student autograded by plain nbgrader
before counts as graded. Dask keeps no results between runs, so this file stays.
"""

from __future__ import annotations

import json
from pathlib import Path

from smiley_grader.classgrading.students import autograded_notebooks
from smiley_grader.classgrading.worker import StudentResult


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
