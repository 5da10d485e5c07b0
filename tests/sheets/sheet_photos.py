"""Filled-in sheets and phone photos of them, simulated with OpenCV.

A sheet is the printed layout rasterised at PX_PER_MM (ours, or the lesson's
raster as its layout is described), with smileys from the dataset's generator
scaled up into the boxes (the part that import cuts out).
A photo puts that sheet on a table, seen at an angle and turned, lit unevenly
(a gradient and a soft shadow, warm light), blurred a little, with sensor
noise, and saved as a JPEG.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from smiley_checks.dataset.drawing import draw_smiley
from smiley_checks.sheets import layout
from smiley_checks.sheets.kinds import LESSON, OURS, SheetKind
from smiley_checks.sheets.markers import marker_bits
from smiley_checks.sheets.printing import render

PX_PER_MM = 5.0
INK = 35  # felt-tip ink on paper, a little lighter than printed black


@lru_cache(maxsize=4)
def blank(label: str) -> np.ndarray:
    sheet = render(label, PX_PER_MM)
    sheet.flags.writeable = False
    return sheet


@lru_cache(maxsize=1)
def lesson_blank() -> np.ndarray:
    """The lesson's raster.pdf as described (lesson-review.md): grid, four 6x6 markers, BOVEN and ONDER."""
    sheet = np.full((round(LESSON.height * PX_PER_MM), round(LESSON.width * PX_PER_MM)), 255, np.uint8)

    def px(mm):
        return round(mm * PX_PER_MM)

    for corner, marker_id in zip(layout.CORNERS, LESSON.marker_ids("happy")):
        box = LESSON.marker_box(corner)
        side = px(box.width)
        marker = cv2.resize(marker_bits(marker_id, LESSON), (side, side), interpolation=cv2.INTER_NEAREST)
        sheet[px(box.top):px(box.top) + side, px(box.left):px(box.left) + side] = marker
    half = LESSON.grid_line / 2
    top, bottom = LESSON.horizontal_lines()[0], LESSON.horizontal_lines()[-1]
    left, right = LESSON.vertical_lines()[0], LESSON.vertical_lines()[-1]
    for x in LESSON.vertical_lines():
        sheet[px(top - half):px(bottom + half), px(x - half):px(x + half)] = 0
    for y in LESSON.horizontal_lines():
        sheet[px(y - half):px(y + half), px(left - half):px(right + half)] = 0
    font = cv2.FONT_HERSHEY_SIMPLEX
    for word, baseline, tip, tail in (("BOVEN", 22, 11, 23), ("ONDER", 285, 286, 274)):
        cv2.putText(sheet, word, (px(195), px(baseline)), font, 1.6, 0, 4, cv2.LINE_AA)
        cv2.arrowedLine(sheet, (px(185), px(tail)), (px(185), px(tip)), 0, 4, cv2.LINE_AA, tipLength=0.35)
    sheet.flags.writeable = False
    return sheet


def filled_sheet(label: str, seed: int, boxes=None,
                 kind: SheetKind = OURS) -> tuple[np.ndarray, dict[tuple[int, int], np.ndarray]]:
    """(sheet image, {(row, column): the 110 x 110 drawing put in that box})."""
    rng = np.random.default_rng(seed)
    sheet = (blank(label) if kind is OURS else lesson_blank()).copy()
    drawings = {}
    for row, column in (layout.cells() if boxes is None else boxes):
        drawing = draw_smiley(label, rng)
        box = kind.cut_box(row, column)
        left, top = round(box.left * PX_PER_MM), round(box.top * PX_PER_MM)
        side = round(box.width * PX_PER_MM)
        big = cv2.resize(drawing, (side, side), interpolation=cv2.INTER_LINEAR)
        region = sheet[top:top + side, left:left + side]
        region[big < 128] = INK
        drawings[(row, column)] = drawing
    return sheet, drawings


@dataclass
class Camera:
    size: tuple[int, int] = (2400, 1800)  # width, height of the photo
    coverage: float = 0.8  # width of the sheet relative to the photo
    turn_degrees: float = 6.0
    keystone: float = 0.1  # the far edge looks this much narrower (photo taken at an angle)
    squash: float = 0.0  # the sheet looks this much shorter than it is wide (a steeper angle)
    exposure: float = 0.92  # paper brightness in the brightest spot
    light_drop: float = 0.45  # the far side gets this much less light
    shadow: float = 0.35  # a soft shadow (of the phone or a head) this much darker
    warm: tuple[float, float, float] = (0.8, 0.93, 1.0)  # B, G, R gains
    blur_px: float = 1.0
    noise: float = 2.5
    jpeg_quality: int = 85
    cover: list[str] = field(default_factory=list)  # corners covered by a thumb
    seed: int = 0
    kind: SheetKind = OURS  # where the covered corners are


def sheet_quad(camera: Camera, sheet_shape) -> np.ndarray:
    """Where the sheet's corners land in the photo (TL, TR, BR, BL of the sheet)."""
    rng = np.random.default_rng(camera.seed)
    width, height = camera.size
    w = camera.coverage * width
    h = w * sheet_shape[0] / sheet_shape[1] * (1 - camera.squash)
    k = camera.keystone
    quad = np.array([[-w / 2 * (1 - k), -h / 2], [w / 2 * (1 - k), -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    quad += rng.normal(0, 0.01 * w, quad.shape)
    angle = np.radians(camera.turn_degrees)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return quad @ rotation.T + [width / 2, height / 2]


def photograph(sheet: np.ndarray, camera: Camera, path: Path) -> Path:
    rng = np.random.default_rng(camera.seed + 1)
    width, height = camera.size
    sh, sw = sheet.shape
    source = np.array([[-0.5, -0.5], [sw - 0.5, -0.5], [sw - 0.5, sh - 0.5], [-0.5, sh - 0.5]], np.float32)
    quad = sheet_quad(camera, sheet.shape).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad)

    # A wooden table: stripes and grain (made small, then enlarged: cheap).
    y, x = np.mgrid[0:height:4, 0:width:4].astype(np.float32)
    table = 120 + 25 * np.sin(x / 37.0 + 3 * np.sin(y / 211.0)) + rng.normal(0, 6, x.shape).astype(np.float32)
    table = cv2.resize(table, (width, height), interpolation=cv2.INTER_LINEAR)
    photo = cv2.warpPerspective(sheet.astype(np.float32), matrix, (width, height), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_TRANSPARENT, dst=table)

    # A thumb over covered corners.
    for corner in camera.cover:
        box = camera.kind.marker_box(corner)
        centre_mm = np.array([[[box.left + box.width / 2, box.top + box.height / 2]]], np.float32)
        centre = cv2.perspectiveTransform(layout.mm_to_px(centre_mm, PX_PER_MM), matrix)[0, 0]
        radius = 0.8 * camera.kind.marker * PX_PER_MM * camera.coverage * width / sw
        cv2.ellipse(photo, (int(centre[0]), int(centre[1])), (int(radius * 1.3), int(radius)), 30, 0, 360, 170, -1)

    # Light: brighter on one side, a soft shadow, a warm tint.
    light = 1.0 - camera.light_drop * (x / width * 0.7 + y / height * 0.3)
    shadow = np.exp(-(((x - 0.3 * width) / (0.18 * width)) ** 2 + ((y - 0.65 * height) / (0.25 * height)) ** 2))
    light *= 1.0 - camera.shadow * shadow
    photo *= cv2.resize(light * camera.exposure, (width, height), interpolation=cv2.INTER_LINEAR)
    if camera.blur_px:
        photo = cv2.GaussianBlur(photo, (0, 0), camera.blur_px)
    colour = np.stack([photo * gain for gain in camera.warm], axis=2)
    colour += camera.noise * rng.standard_normal(colour.shape, dtype=np.float32)
    ok, data = cv2.imencode(".jpg", np.clip(colour, 0, 255).astype(np.uint8),
                            [cv2.IMWRITE_JPEG_QUALITY, camera.jpeg_quality])
    assert ok
    path = Path(path)
    path.write_bytes(data.tobytes())
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*argv) -> Run:
    """`smiley-checks ARGV...` in this process, with what it printed."""
    from smiley_checks.cli import main

    from smiley_checks.messages import set_language

    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(arg) for arg in argv])
    finally:
        set_language("en")  # --lang sticks for the process
    return Run(code, out.getvalue(), err.getvalue())


def assert_sentences(err: str, expected: list[str]) -> None:
    """stderr holds exactly one line per pattern (regular expressions), in order."""
    lines = err.splitlines()
    assert len(lines) == len(expected), err
    for line, pattern in zip(lines, expected):
        assert re.fullmatch("smiley-checks: " + pattern, line), line


def imported_files(folder: Path) -> dict[str, dict[str, str]]:
    """photo name -> {box key: relative file} from the folder's dataset.json."""
    info = json.loads((folder / "dataset.json").read_text())
    return {photo["name"]: photo["files"] for photo in info["photos"]}


def varied_camera(seed: int) -> Camera:
    """A different angle and light for every sheet of a class, with the whole sheet in the picture."""
    rng = np.random.default_rng(seed)
    return Camera(coverage=0.75, turn_degrees=float(rng.uniform(-8, 8) + rng.choice([0, 180])),
                  keystone=float(rng.uniform(0.05, 0.2)), light_drop=float(rng.uniform(0.2, 0.6)),
                  shadow=float(rng.uniform(0.2, 0.45)), blur_px=float(rng.uniform(0.8, 1.5)),
                  jpeg_quality=int(rng.integers(70, 91)), seed=seed)


def photograph_class(folder: Path, label: str, sheets: int, first_seed: int) -> list[Path]:
    """Photos of `sheets` full sheets for one emotion, each drawn and photographed with its own seed."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(sheets):
        seed = first_seed + number
        sheet, _ = filled_sheet(label, seed)
        paths.append(photograph(sheet, varied_camera(seed), folder / f"{label}_{number:02d}.jpg"))
    return paths
