"""Copy the browser tests' screenshots that the docs show into docs/img/.

    .venv/bin/python -m pytest tests/browser        # writes tests/artifacts/browser/*.png
    .venv/bin/python tools/docs_screenshots.py      # then copies two of them into docs/img/

Tests never write the working tree; refreshing the docs' pictures is this deliberate step.
"""

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHOTS = {"05-student-check-passes.png": "browser-student.png", "11-teacher-autograded.png": "browser-formgrader.png"}

if __name__ == "__main__":
    for source, target in SHOTS.items():
        path = REPO / "tests" / "artifacts" / "browser" / source
        if not path.exists():
            raise SystemExit(f"{path.relative_to(REPO)} is missing: run the browser tests first.")
        shutil.copy(path, REPO / "docs" / "img" / target)
        print("copied", path.relative_to(REPO), "->", f"docs/img/{target}")
