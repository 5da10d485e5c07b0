"""Import photos of filled-in sheets, one after another, each with its own verdict.

A photo that cannot be used (unreadable, markers missing, another sheet,
too small, too dark, too blurred) gets one sentence saying why and what to
do; the photos after it are still imported.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say
from smiley_checks.sheets import cells, layout, quality
from smiley_checks.sheets.grid import place_grid
from smiley_checks.sheets.kinds import LESSON
from smiley_checks.sheets.markers import (STRAIGHT_PX_PER_MM, Sighting, find_markers, homography, marker_px_per_mm,
                                          sight, straighten)
from smiley_checks.sheets.search import find_markers_harder
from smiley_checks.sheets.store import ImportFolder


class PhotoProblem(SmileyChecksError):
    """One photo cannot be imported; the sentence says why and what to do."""


@dataclass
class PhotoResult:
    photo: Path
    problem: str | None = None
    drawings: int = 0
    empty: int = 0
    per_split: dict[str, int] = field(default_factory=dict)
    earlier: str | None = None  # already imported under this name: skipped

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class SheetReading:
    """What one photo of a sheet holds."""

    drawings: dict[tuple[int, int], np.ndarray]
    straight: np.ndarray  # the straightened sheet, light evened out (for looking at)
    px_per_mm: float  # photo pixels per mm of the sheet
    paper_level: float
    blur_mm: float

    @property
    def empty(self) -> int:
        return len(layout.cells()) - len(self.drawings)


def read_photo(path: Path) -> tuple[np.ndarray, str]:
    """The photo in grayscale, and the sha256 of its file."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        data = b""
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE) if data else None
    if gray is None and data:
        gray = _decode_heif(data)
    if gray is None:
        raise PhotoProblem(say("sheets.unreadable", photo=Path(path).name))
    return gray, hashlib.sha256(data).hexdigest()


def _decode_heif(data: bytes) -> np.ndarray | None:
    """iPhones save photos as HEIC by default, which OpenCV cannot read; pillow-heif can.
    (libheif applies the photo's rotation itself; the corner squares handle any turn anyway.)"""
    import io

    import pillow_heif

    if not pillow_heif.is_supported(data):
        return None
    try:
        image = pillow_heif.open_heif(io.BytesIO(data)).to_pillow()
        return np.asarray(image.convert("L"))
    except Exception:  # a damaged file: the caller says it cannot be read
        return None


def _corner_names(corners: list[str]) -> str:
    names = [say(f"sheets.corner.{corner}") for corner in corners]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {say('sheets.and')} " + names[-1]


def read_sheet(gray: np.ndarray, label: str, name: str) -> SheetReading:
    """The drawings on a photographed sheet for `label`, or a PhotoProblem saying what is wrong.

    Our sheets first; a photo without any of our markers may be of the lesson's own sheet.
    """
    sighting = sight(find_markers(gray), label)
    if sighting.label is None:
        lesson = sight(find_markers_harder(gray, LESSON, set(LESSON.corner_ids.values())), label, LESSON)
        if lesson.label is not None:
            return read_lesson_sheet(gray, lesson, name)
        level = float(np.percentile(gray[::4, ::4], 99)) / 255
        if level < quality.MIN_PAPER_LEVEL:
            raise PhotoProblem(say("sheets.too_dark", photo=name, level=round(100 * level)))
        raise PhotoProblem(say("sheets.no_sheet", photo=name))
    if sighting.label != label:
        raise PhotoProblem(say("sheets.other_sheet", photo=name, found=say(f"sheets.emotion.{sighting.label}"),
                               wanted=say(f"sheets.emotion.{label}"), found_label=sighting.label))
    resolution, looks = _check_looks(gray, sighting, name)
    if sighting.missing:
        key = "sheets.marker_missing" if len(sighting.missing) == 1 else "sheets.markers_missing"
        raise PhotoProblem(say(key, photo=name, corners=_corner_names(sighting.missing)))
    return _cut(gray, sighting, resolution, looks)


def _cut(gray: np.ndarray, sighting: Sighting, resolution: float, looks: quality.PhotoQuality,
         matrix: np.ndarray | None = None) -> SheetReading:
    """Straighten (on the markers, or with `matrix`), even out the light, cut the boxes."""
    px_per_mm = STRAIGHT_PX_PER_MM
    straight = straighten(gray, sighting, px_per_mm, matrix)
    flat = cells.even_light(straight, px_per_mm)
    return SheetReading(cells.cut_all(flat, px_per_mm, sighting.kind), flat.astype(np.uint8), resolution,
                        looks.paper, looks.blur_mm)


def _check_looks(gray: np.ndarray, sighting: Sighting, name: str) -> tuple[float, quality.PhotoQuality]:
    """(pixels per mm, quality) of a photo, or a PhotoProblem when it is too small, dark or blurred."""
    if sighting.duplicated:
        raise PhotoProblem(say("sheets.two_sheets", photo=name))
    resolution = marker_px_per_mm(sighting)
    if resolution < quality.MIN_PX_PER_MM:
        raise PhotoProblem(say("sheets.too_small", photo=name, resolution=f"{resolution:.1f}",
                               minimum=f"{quality.MIN_PX_PER_MM:.0f}"))
    looks = quality.photo_quality(gray, sighting)
    if looks.too_dark:
        raise PhotoProblem(say("sheets.too_dark", photo=name, level=round(100 * looks.paper)))
    if looks.too_blurred:
        raise PhotoProblem(say("sheets.too_blurred", photo=name, blur=f"{looks.blur_mm:.1f}",
                               most=f"{quality.MAX_BLUR_MM:.1f}"))
    return resolution, looks


def read_lesson_sheet(gray: np.ndarray, sighting: Sighting, name: str) -> SheetReading:
    """The drawings on a photo of the lesson's own sheet (raster.pdf), whose markers are in `sighting`.

    Two markers are enough to look for the grid; the grid's own lines then place
    the sheet (see grid.py). With all four markers and no clear grid, the
    markers place it on their own.
    """
    resolution, looks = _check_looks(gray, sighting, name)
    matrix = homography(sighting, STRAIGHT_PX_PER_MM) if len(sighting.corners) >= 2 else None
    placed = None if matrix is None else place_grid(gray, matrix, LESSON, STRAIGHT_PX_PER_MM)
    if placed is None and sighting.missing:
        raise PhotoProblem(say("sheets.grid_not_found", photo=name, found=len(sighting.corners)))
    return _cut(gray, sighting, resolution, looks, matrix if placed is None else placed)


def import_photo(path: Path, label: str, folder: ImportFolder) -> PhotoResult:
    path = Path(path)
    result = PhotoResult(path)
    try:
        gray, digest = read_photo(path)
        result.earlier = folder.earlier_import(digest)
        if result.earlier:
            return result
        reading = read_sheet(gray, label, path.name)
    except PhotoProblem as problem:
        result.problem = str(problem)
        return result
    result.drawings, result.empty = len(reading.drawings), reading.empty
    result.per_split = folder.add(path.name, digest, label, reading.drawings)
    return result


def import_photos(paths, label: str, into: Path, report=None) -> list[PhotoResult]:
    """Import every photo into the folder `into`; `report(result)` is called after each one."""
    folder = ImportFolder(into)
    results = []
    for path in paths:
        result = import_photo(path, label, folder)
        results.append(result)
        if report:
            report(result)
    folder.save()
    return results
