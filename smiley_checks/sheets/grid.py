"""Place a sheet's grid from its own printed lines.

The markers alone place the sheet well only when all four are seen: with two
(the far ones missed in a photo taken at a steep angle) the rest of the sheet
is extrapolated from two small squares and can be millimetres off. The grid
itself is printed on the sheet, and it is what the boxes are cut along, so
it is looked for where the markers say it is:

1. straighten the photo with the current placement;
2. make thin dark things stand out (a black-hat: lines and strokes become
   bright, paper and slow changes of light dark);
3. for every piece of grid line between two crossings, average across its
   length and take the brightest offset within a search window: a straight
   line adds up along its length, a curved stroke of a drawing does not;
4. fit a straight line through the pieces of each grid line (pieces far
   off the others are dropped), cross the lines, and fit the placement on
   those crossings.

Three rounds with narrowing windows. The grid counts as placed when at least
MIN_LINES lines each way are found and the last round moved it by little.
"""

from __future__ import annotations

import cv2
import numpy as np

from smiley_checks.sheets import layout
from smiley_checks.sheets.kinds import SheetKind

WORK_PX_PER_MM = 4.0
WINDOWS_MM = (20.0, 6.0, 2.5)  # half-widths of the search, narrowing; lines are 60 mm apart
END_MM = 6.0  # pieces stop this far from the crossings
RIDGE_MM = 3.0  # the black-hat keeps dark things thinner than this
MIN_PEAK = 12.0  # grey levels a piece of line must stand out by (after averaging along it)
OUTLIER_MM = 1.0  # a piece further than this from its line's fit is dropped
MIN_LINES = 3  # of each direction (of 7 vertical and 5 horizontal)
SETTLED_MM = 0.5  # the last round moved the crossings by at most this (median)


def _target(mm_points: np.ndarray, px_per_mm: float) -> np.ndarray:
    return layout.mm_to_px(np.asarray(mm_points, np.float64), px_per_mm)


def fit(photo_points: np.ndarray, mm_points: np.ndarray, px_per_mm: float, robust: bool = False) -> np.ndarray | None:
    """The placement photo pixels -> straight pixels at px_per_mm, fitted on point pairs."""
    method, threshold = (cv2.RANSAC, 1.5 * px_per_mm) if robust else (0, 3.0)
    matrix, _ = cv2.findHomography(np.asarray(photo_points, np.float64), _target(mm_points, px_per_mm), method,
                                   threshold)
    return matrix


def _ridges(gray: np.ndarray, matrix: np.ndarray, kind: SheetKind) -> np.ndarray:
    size = (round(kind.width * WORK_PX_PER_MM), round(kind.height * WORK_PX_PER_MM))
    straight = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    side = max(3, round(RIDGE_MM * WORK_PX_PER_MM) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (side, side))
    return cv2.morphologyEx(straight, cv2.MORPH_BLACKHAT, kernel).astype(np.float32)


def _peak(profile: np.ndarray) -> float | None:
    """Sub-pixel index of the profile's maximum, or None when nothing stands out."""
    index = int(np.argmax(profile))
    if profile[index] - np.median(profile) < MIN_PEAK or index in (0, len(profile) - 1):
        return None
    left, middle, right = profile[index - 1:index + 2]
    curvature = left - 2 * middle + right
    return index + (0.5 * (left - right) / curvature if curvature < 0 else 0.0)


def _pieces(ridges: np.ndarray, at_mm: float, spans_mm: list[float], window_mm: float, vertical: bool):
    """(offset across, position along) in work pixels of each piece of one grid line that is found."""
    image = ridges if vertical else ridges.T
    scale, found = WORK_PX_PER_MM, []
    for start, stop in zip(spans_mm[:-1], spans_mm[1:]):
        top, bottom = round((start + END_MM) * scale), round((stop - END_MM) * scale)
        low = max(0, round((at_mm - window_mm) * scale))
        high = min(image.shape[1], round((at_mm + window_mm) * scale) + 1)
        if bottom <= top or high - low < 3:
            continue
        peak = _peak(image[top:bottom, low:high].mean(axis=0))
        if peak is not None:
            found.append((low + peak, (top + bottom - 1) / 2))
    return found


def _line(pieces) -> tuple[float, float] | None:
    """(slope, intercept) of across = slope * along + intercept, robust to one stray piece."""
    points = np.asarray(pieces, np.float64)
    if len(points) < 2:
        return None
    keep = np.ones(len(points), bool)
    for _ in range(2):
        if keep.sum() < 2:
            return None
        slope, intercept = np.polyfit(points[keep, 1], points[keep, 0], 1)
        residual = np.abs(points[:, 0] - (slope * points[:, 1] + intercept))
        if len(points) > 2:
            median = np.median(residual)
            keep = residual <= median + OUTLIER_MM * WORK_PX_PER_MM
    return (float(slope), float(intercept)) if keep.sum() >= 2 else None


def _crossings(ridges: np.ndarray, kind: SheetKind, window_mm: float):
    """(straight-pixel crossings, their mm on the sheet), or None when too few lines are found."""
    xs, ys = kind.vertical_lines(), kind.horizontal_lines()
    verticals = {x: _line(_pieces(ridges, x, ys, window_mm, True)) for x in xs}
    horizontals = {y: _line(_pieces(ridges, y, xs, window_mm, False)) for y in ys}
    verticals = {x: line for x, line in verticals.items() if line}
    horizontals = {y: line for y, line in horizontals.items() if line}
    if len(verticals) < MIN_LINES or len(horizontals) < MIN_LINES:
        return None
    seen, sheet = [], []
    for x_mm, (a, b) in verticals.items():  # x = a * y + b
        for y_mm, (c, d) in horizontals.items():  # y = c * x + d
            x = (a * d + b) / (1 - a * c)
            seen.append((x, c * x + d))
            sheet.append((x_mm, y_mm))
    return np.asarray(seen), np.asarray(sheet)


def place_grid(gray: np.ndarray, matrix: np.ndarray, kind: SheetKind, px_per_mm: float) -> np.ndarray | None:
    """A placement fitted on the grid's crossings (photo -> straight pixels at px_per_mm), starting from
    `matrix` (the same, fitted on the markers), or None when the grid cannot be found near there."""
    work_scale = np.diag([WORK_PX_PER_MM / px_per_mm, WORK_PX_PER_MM / px_per_mm, 1.0])
    work_scale[:2, 2] = 0.5 * WORK_PX_PER_MM / px_per_mm - 0.5  # pixel centres at whole numbers
    current = work_scale @ matrix
    moved = np.inf
    for window in WINDOWS_MM:
        crossings = _crossings(_ridges(gray, current, kind), kind, window)
        if crossings is None:
            return None
        seen, sheet = crossings
        photo = cv2.perspectiveTransform(seen.reshape(-1, 1, 2), np.linalg.inv(current)).reshape(-1, 2)
        moved = float(np.median(np.linalg.norm(seen - _target(sheet, WORK_PX_PER_MM), axis=1))) / WORK_PX_PER_MM
        refined = fit(photo, sheet, WORK_PX_PER_MM, robust=True)
        if refined is None:
            return None
        current = refined
    if moved > SETTLED_MM:
        return None
    return fit(photo, sheet, px_per_mm, robust=True)
