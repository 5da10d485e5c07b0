"""Copy the browser tests' screenshots that the docs show into docs/img/.

    .venv/bin/python -m pytest tests/browser tests/installed/test_hub_course.py   # writes tests/artifacts/{browser,hub}/*.png
    .venv/bin/python tools/docs_screenshots.py                             # then copies some into docs/img/

Tests never write the working tree; refreshing the docs' pictures is this deliberate step.
"""

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHOTS = {
    "browser/05-student-check-passes.png": "browser-student.png",
    "browser/11-teacher-autograded.png": "browser-formgrader.png",
    "hub/01-teacher-course-init.png": "hub-course-init.png",
    "hub/07-student-check-correct.png": "hub-student.png",
    "hub/10-other-student-not-her-server.png": "hub-other-student.png",
    "hub/14-teacher-autograded.png": "hub-formgrader.png",
}

if __name__ == "__main__":
    for source, target in SHOTS.items():
        path = REPO / "tests" / "artifacts" / source
        if not path.exists():
            raise SystemExit(f"{path.relative_to(REPO)} is missing: run the browser and hub tests first.")
        shutil.copy(path, REPO / "docs" / "img" / target)
        print("copied", path.relative_to(REPO), "->", f"docs/img/{target}")
