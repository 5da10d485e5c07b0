"""From a straightened sheet to the lesson's 110 x 110 images of 0 and 255.

Photos are lit unevenly, so one threshold for the whole sheet would turn a
shadow into ink. First the light is evened out: the paper's brightness is
estimated everywhere (a morphological closing wipes out the ink, a blur
smooths what is left) and the photo is divided by it, so paper becomes 255
everywhere and ink keeps its contrast to the paper around it. Then every
box is cut a little inside its lines, shrunk to 110 x 110 by averaging, and
binarised at 127 as in the lesson.
"""

from __future__ import annotations

import cv2
import numpy as np

from smiley_checks.dataset.layout import IMAGE_SIZE
from smiley_checks.sheets import layout
from smiley_checks.sheets.kinds import OURS, SheetKind

THRESHOLD = 127  # the lesson's threshold
BACKGROUND_MM = 25  # ink blobs smaller than this vanish from the paper estimate
MIN_INK_PIXELS = 60  # fewer dark pixels than this (0.5 % of 110 x 110): an empty box
INK_PERCENTILE = 5  # of a box's dark pixels: the colour of the ink where the stroke is solid
MAX_INK_LEVEL = 100  # never take something lighter than this for ink


def paper_brightness(straight: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The brightness the paper would have at every pixel without ink (float32, >= 1)."""
    height, width = straight.shape
    small = cv2.resize(straight, (round(width / px_per_mm), round(height / px_per_mm)), interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (BACKGROUND_MM, BACKGROUND_MM))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    paper = cv2.GaussianBlur(paper.astype(np.float32), (0, 0), BACKGROUND_MM / 4)
    return np.maximum(cv2.resize(paper, (width, height), interpolation=cv2.INTER_LINEAR), 1.0)


def even_light(straight: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The sheet as if lit evenly: paper 255, ink as dark relative to its paper as in the photo."""
    flat = straight.astype(np.float32) * (255.0 / paper_brightness(straight, px_per_mm))
    return np.clip(flat, 0, 255)


def blacken_ink(region: np.ndarray, px_per_mm: float) -> np.ndarray:
    """Stretch a box's grey levels so its ink is 0 and paper stays 255."""
    dark = region[region <= THRESHOLD]
    if dark.size < MIN_INK_PIXELS * (px_per_mm * 0.5) ** 2:  # (about) an empty box: nothing to learn from
        return region
    ink = min(float(np.percentile(dark, INK_PERCENTILE)), MAX_INK_LEVEL)
    return np.clip((region - ink) * (255.0 / (255.0 - ink)), 0, 255)


def cut(flat: np.ndarray, row: int, column: int, px_per_mm: float, kind: SheetKind = OURS) -> np.ndarray:
    """One box of an evenly lit sheet as a 110 x 110 image of 0 (ink) and 255 (paper)."""
    box = kind.cut_box(row, column)
    left, top = round(box.left * px_per_mm), round(box.top * px_per_mm)
    right, bottom = round(box.right * px_per_mm), round(box.bottom * px_per_mm)
    region = blacken_ink(flat[top:bottom, left:right], px_per_mm)
    small = cv2.resize(region, (IMAGE_SIZE, IMAGE_SIZE), interpolation=cv2.INTER_AREA)
    return np.where(small > THRESHOLD, 255, 0).astype(np.uint8)


def is_empty(cell: np.ndarray) -> bool:
    return int((cell == 0).sum()) < MIN_INK_PIXELS


def cut_all(flat: np.ndarray, px_per_mm: float, kind: SheetKind = OURS) -> dict[tuple[int, int], np.ndarray]:
    """(row, column) -> drawing, for every box that is not empty."""
    drawings = {}
    for row, column in layout.cells():
        cell = cut(flat, row, column, px_per_mm, kind)
        if not is_empty(cell):
            drawings[(row, column)] = cell
    return drawings
