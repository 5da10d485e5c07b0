"""Write docs/img/lesson-sheet.png: the lesson's printed sheet (raster.pdf) as the import tests draw it.

    .venv/bin/python tools/lesson_sheet_picture.py

Same size as docs/img/sheet.png (our sheet at 72 dpi), so the README shows the two side by side.
"""

import sys
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sheets"))

from sheet_photos import lesson_blank  # noqa: E402  (the tests' drawing of the layout)


def main() -> None:
    ours = cv2.imread(str(ROOT / "docs/img/sheet.png"), cv2.IMREAD_GRAYSCALE)
    picture = cv2.resize(lesson_blank(), (ours.shape[1], ours.shape[0]), interpolation=cv2.INTER_AREA)
    cv2.imwrite(str(ROOT / "docs/img/lesson-sheet.png"), picture, [cv2.IMWRITE_PNG_COMPRESSION, 9])


if __name__ == "__main__":
    main()
