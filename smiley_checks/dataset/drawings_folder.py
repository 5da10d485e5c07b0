"""Read every drawing in a folder, per class, to look at (not to train on): a class's imported sheets.

Two layouts are read:
    <folder>/<split>/<class>/*.png   what `smiley-checks sheets import --into` writes (and the shipped set)
    <folder>/<class>/*.png           drawings sorted into one folder per class
Classes are happy, surprised and sad; all splits of a class are read together. Every drawing must
be 110 x 110 pixels, as the import cuts them; anything else is one DataError sentence that names the
file (in English or Dutch).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from smiley_checks.dataset.layout import ALL_CLASSES, IMAGE_SIZE, SPLITS
from smiley_checks.errors import DataError
from smiley_checks.messages import say


def drawing_files(folder: Path) -> dict[str, list[Path]]:
    """class -> its PNG files (sorted); only classes with at least one file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(say("data.compare.missing_folder", path=folder))
    imported = any((folder / split).is_dir() for split in SPLITS)
    files = {}
    for label in ALL_CLASSES:
        if imported:
            found = [path for split in SPLITS for path in sorted((folder / split / label).glob("*.png"))]
        else:
            found = sorted((folder / label).glob("*.png"))
        if found:
            files[label] = found
    if not files:
        raise DataError(say("data.compare.empty_folder", path=folder))
    return files


def read_drawing(path: Path) -> np.ndarray:
    """(110, 110) uint8, 0 for ink and 255 for paper (binarised at 127, as the lesson does)."""
    try:
        with Image.open(path) as image:
            gray = np.asarray(image.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DataError(say("data.compare.unreadable", path=path, reason=type(error).__name__)) from None
    if gray.shape != (IMAGE_SIZE, IMAGE_SIZE):
        raise DataError(say("data.compare.wrong_size", path=path, width=gray.shape[1], height=gray.shape[0],
                            size=IMAGE_SIZE))
    return np.where(gray > 127, 255, 0).astype(np.uint8)


def read_drawings(folder: Path) -> dict[str, np.ndarray]:
    """class -> (N, 110, 110) uint8 drawings, for every class the folder has drawings of."""
    return {label: np.stack([read_drawing(path) for path in paths])
            for label, paths in drawing_files(folder).items()}
