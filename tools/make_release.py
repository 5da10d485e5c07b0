"""Regenerate release/<assignment>/ from source/ with nbgrader, after editing a source notebook.

    .venv/bin/python tools/make_release.py

Runs `nbgrader generate_assignment` in a scratch course (so no gradebook.db appears
here) and copies what it made to release/. tests/assignments/test_release.py fails
when release/ is out of date. Regenerate the example class afterwards:
    .venv/bin/python tests/nbgrader/make_submissions.py
"""

from pathlib import Path

from smiley_grader.course import generate_release

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    for assignment, folder in generate_release(REPO / "release").items():
        print(f"{assignment}: {folder.relative_to(REPO)}")
