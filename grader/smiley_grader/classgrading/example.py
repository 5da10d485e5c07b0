"""The example class (tests/nbgrader/submissions) as a collected course, for tests and benchmarks.

No exchange: the teacher generates the assignment and each submission is put where
`nbgrader collect` puts it (course/submitted/<student>/<assignment>/). The whole
release-fetch-submit-collect path is tested in tests/nbgrader/test_cycle.py.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path


def collected_class(workdir: Path, assignment: str = "layers", students=None, db_url: str | None = None):
    """Returns (Course, sorted student ids). `db_url`: another gradebook than the course's SQLite file."""
    from smiley_grader.demo_cycle import find_submissions

    found = find_submissions(assignments=(assignment,), students=students)
    return collected_from(workdir, assignment, {student: path for (student, _), path in found.items()}, db_url)


def collected_from(workdir: Path, assignment: str, notebooks: dict, db_url: str | None = None):
    """Like collected_class, with any notebooks: {student: path of their filled-in notebook}."""
    from smiley_grader.course import Course
    from smiley_grader.demo_cycle import EXAMPLE_LIMITS

    course = Course.create(Path(workdir), assignments=(assignment,), settings=EXAMPLE_LIMITS)
    if db_url:
        course.nbgrader("generate_assignment", assignment, "--force", f"--CourseDirectory.db_url={db_url}")
    else:
        course.generate(assignment)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    for student, path in notebooks.items():
        folder = course.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / f"{assignment}.ipynb")
        (folder / "timestamp.txt").write_text(stamp)
    return course, sorted(notebooks)
