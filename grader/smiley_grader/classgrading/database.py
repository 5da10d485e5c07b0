"""The gradebook: one URL for every nbgrader subprocess, and reading the grades back.

nbgrader's SQLite gradebook takes one writer at a time. Each `nbgrader autograde`
opens it a few times for a moment (at the start, and to save the grades at the end).
With several students graded at once two of those moments can meet; SQLite then
answers "database is locked" after its busy timeout (5 s by default in Python).
`db_url` sets that timeout to `busy_seconds` (SQLAlchemy passes `?timeout=` to
sqlite3.connect), so a writer waits its turn; worker.py also retries a student whose
autograde still failed with "database is locked". Another database (PostgreSQL)
is used as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

BUSY_SECONDS = 120
COURSE_ID = "smileys"


def default_url(course_root: Path) -> str:
    return f"sqlite:///{Path(course_root).resolve() / 'gradebook.db'}"


def db_url(course_root: Path, url: str | None = None, busy_seconds: float = BUSY_SECONDS) -> str:
    url = url or default_url(course_root)
    if url.startswith("sqlite:///") and "timeout=" not in url:
        url += ("&" if "?" in url else "?") + f"timeout={busy_seconds:g}"
    return url


def is_locked(output: str) -> bool:
    return "database is locked" in output


@dataclass(frozen=True)
class CellGrade:
    student: str
    task: str
    score: float
    max_score: float
    needs_manual_grade: bool


def grades(url: str, assignment: str, course_id: str = COURSE_ID) -> list[CellGrade]:
    """Every graded cell of `assignment` in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    with Gradebook(url, course_id=course_id) as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            return []
        for submission in found.submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    out.append(CellGrade(submission.student.id, grade.name, float(grade.score or 0),
                                         float(grade.max_score), bool(grade.needs_manual_grade)))
    return out
