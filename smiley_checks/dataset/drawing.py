"""Draw one smiley the way a student draws it with a felt-tip marker (now and then a thin pen).

Every stroke is a parametric curve (ellipse arc, line, ...) with a slow,
random wobble, drawn at four times the final resolution as a chain of
short segments whose width changes smoothly along the stroke (felt-tip
pressure, a blob where the pen rests, thin or missing bits where it runs
dry). The whole face is then moved, scaled, squashed and turned a little,
downscaled and binarised at 127 like the lesson's photos. Only the given
random generator is used, so the same generator state gives the same image.

Faces, pens, eyes and extras are drawn the same way for every emotion, so
the amount of ink says little about the class: what tells the classes apart
is the shape of the mouth (a "U", an "O" or an upside-down "U").
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

GENERATOR_VERSION = "4"

LABELS = ("happy", "surprised", "sad")
SUPERSAMPLE = 4  # drawing resolution relative to the output
THRESHOLD = 127  # the lesson binarises photos at 127
INK, PAPER = 0, 255

# Knobs. Radii are fractions of the cell (face) or of the face radius (mouths); pixels are at
# 110 x 110. Position variation is a trade-off, measured on 2026-11-27 (docs/data.md, "Not too easy"):
# anything that makes a logistic regression on raw pixels worse (bigger offsets, more mouth
# jitter, more closed smiles) makes the lesson's network under the lesson's own protocol
# (5 epochs, batch 1) worse by about as much. Offsets of 16 px left that protocol at 0.90 or
# more on only 5 of 10 seeds; 10 px gave 18 of 20 (generator version 2), while the logistic
# regression still made about four times as many mistakes as the fully trained network.
# Version 4 (issue 25, docs/drawings.md) draws what 48 real drawings measured: bigger faces that sit a
# little low in the cell, a heavier pen, "O" mouths lower in the face; its figures are tested against
# the real ones in tests/dataset/test_real_figures.py.
FACE_RADIUS = (0.33, 0.45)  # face diameter 66-90% of the cell (version 3: 0.30-0.43) ...
SMALL_FACE_RADIUS = (0.24, 0.35)  # ... and sometimes smaller (48-70%)
SMALL_FACE_CHANCE = 0.06
OUTLINE_ASPECT = (0.95, 1.2)  # height / width of the outline, before the whole drawing is squashed (0.86-1.1)
MAX_OFFSET = 10.0  # pixels the face centre may move off the cell centre (as far as it fits) ...
FACE_DROP = 2.0  # ... and then down (pixels, as far as it fits; version 3: 0)
PEN_WIDTH = (3.5, 5.0)  # felt-tip width in pixels (2.8-4.2)
DRYNESS_POWER = 3  # a marker's dryness is uniform(0, 1) to this power: the chance that a stroke runs dry (2)
MOUTH_JITTER = 0.06  # mouth position jitter inside the face (face radii; 0.08)
O_RADIUS = (0.30, 0.42)  # surprised mouth radius (face radii); always clearly larger than the eyes (0.26-0.38)
O_HEIGHT = (0.40, 0.58)  # where the "O"'s centre is drawn (face radii below the face's centre; 0.36-0.52) ...
O_LOWEST = 0.92  # ... as far as its bottom stays above this (0.86)
SMILE_HALF_WIDTH = (0.45, 0.72)  # happy mouth half-width (face radii; 0.38-0.66)
SMILE_LOWEST = (0.56, 0.82)  # where the smile's lowest point is (face radii below the face's centre)
MOUTH_PEN = (1.05, 1.3)  # mouth stroke width relative to the pen (1.15-1.4)
CLOSED_SMILE_CHANCE = 0.06  # (0.08)
SPECKS_CHANCE = 0.08  # (0.15)
EDGE_BAND_CHANCE = 0.08
NOSE_CHANCE = 0.2
EYEBROW_CHANCE = {"happy": 0.06, "surprised": 0.35, "sad": 0.3}
TEAR_CHANCE = 0.25  # sad only
EYE_SIZE = (0.065, 0.11)  # face units (0.055-0.1)

# Styles that real classes draw and version 2 missed (issue 16: the lesson's network trained on
# version 2 misread them on photographed sheets). All but the low "O" are drawn for every emotion,
# so none of them tells the classes apart. Their chances are a trade-off too (docs/drawings.md):
# in version 3, about 1.5 times these made the lesson's protocol reach 0.90 on only 5 of seeds 0-9.
# In version 4 a low "O" that crosses the outline far (its bottom up to 1.5 times the outline's) in
# 35 % of surprised faces left that protocol below 0.90 on all of seeds 0-4; 20 % touching it, 6 of 10.
THIN_PEN_CHANCE = 0.04  # a thin pen (fineliner) ...
THIN_PEN_SMALL_FACE_CHANCE = 0.4  # ... much more often on small faces
THIN_PEN_WIDTH = (1.7, 2.5)
BIG_RING_EYES_CHANCE = 0.05  # large open-circle eyes ...
BIG_RING_EYE_SIZE = (0.11, 0.16)  # (face units; other eyes are EYE_SIZE)
BIG_RING_NOSE_CHANCE = 0.6  # ... which often come with a round nose
NOSE_KINDS = ("dot", "v", "L", "<", "round")  # "round": a small open circle
SMALL_DASH_CHANCE = 0.3  # dash eyes drawn short
FRECKLES_CHANCE = 0.04  # a few dots on the cheeks
LOW_O_CHANCE = 0.15  # surprised: the "O" at the very bottom, touching the outline (0.07) ...
LOW_O_BOTTOM = (0.97, 1.08)  # ... its bottom here, relative to the bottom of the outline (0.94-1.0 of the face radius)

# How often each kind of eye is drawn, per emotion (dots, filled blobs, vertical dashes, open circles).
EYE_KINDS = ("dot", "blob", "dash", "ring")
EYE_WEIGHTS = {"happy": (0.35, 0.25, 0.2, 0.2), "surprised": (0.25, 0.2, 0.35, 0.2), "sad": (0.35, 0.25, 0.2, 0.2)}

def _wobble(rng: np.random.Generator, t: np.ndarray, amplitude: float, terms: int = 3,
            max_frequency: float = 3.0) -> np.ndarray:
    """A smooth random function of t in [0, 1]: a sum of a few low-frequency sinusoids."""
    out = np.zeros_like(t)
    for _ in range(terms):
        frequency = rng.uniform(0.4, max_frequency)
        out += rng.normal(0.0, amplitude) * np.sin(2 * np.pi * frequency * t + rng.uniform(0, 2 * np.pi))
    return out


def _rotation(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s], [s, c]])


class _Sheet:
    """One drawing cell: face coordinates in, supersampled ink out."""

    def __init__(self, rng: np.random.Generator, size: int):
        self.rng = rng
        self.size = size
        self.scale = SUPERSAMPLE
        self.image = Image.new("L", (size * SUPERSAMPLE, size * SUPERSAMPLE), PAPER)
        self.draw = ImageDraw.Draw(self.image)
        # The face's size decides how likely a thin pen is.
        small = rng.random() < SMALL_FACE_CHANCE
        # The marker: a base width in output pixels, and how dry it is.
        thin = rng.random() < (THIN_PEN_SMALL_FACE_CHANCE if small else THIN_PEN_CHANCE)
        self.pen = rng.uniform(*(THIN_PEN_WIDTH if thin else PEN_WIDTH)) * size / 110
        self.dryness = rng.uniform(0.0, 1.0) ** DRYNESS_POWER  # mostly fresh, sometimes dry
        # The face: radius, centre, rotation, and a slight squash of the whole drawing.
        self.radius = rng.uniform(*(SMALL_FACE_RADIUS if small else FACE_RADIUS)) * size
        room = max(0.0, size / 2 - self.radius * 1.02 - self.pen)
        shift = min(room, MAX_OFFSET * size / 110)
        self.centre = size / 2 + rng.uniform(-shift, shift, 2)
        # Real faces sit a little low in the cell, as far as they fit.
        lowest = size - self.radius * 1.02 - self.pen
        self.centre[1] = max(self.centre[1], min(self.centre[1] + FACE_DROP * size / 110, lowest))
        self.turn = _rotation(rng.normal(0.0, 0.1))
        self.squash = np.array([1.0, rng.uniform(0.92, 1.08)])
        self.chin = 1.0  # where the outline's bottom is (face units): _outline sets it

    # --- coordinates -------------------------------------------------------
    def to_pixels(self, points: np.ndarray) -> np.ndarray:
        """Face units (radius 1, y down) -> output pixel coordinates."""
        return self.centre + (points * self.squash * self.radius) @ self.turn.T

    def face_units(self, pixels: float) -> float:
        return pixels / self.radius

    # --- pens --------------------------------------------------------------
    def widths(self, n: int, base: float | None = None) -> np.ndarray:
        """Pen width along a stroke of n points (output pixels): uneven, blob at the start."""
        rng = self.rng
        t = np.linspace(0.0, 1.0, n)
        base = self.pen * rng.uniform(0.85, 1.15) if base is None else base
        width = base * (1.0 + _wobble(rng, t, 0.09, terms=2, max_frequency=4.0))
        if rng.random() < 0.6:  # the pen rests a moment when it touches the paper
            width *= 1.0 + rng.uniform(0.1, 0.35) * np.exp(-t * rng.uniform(15, 40))
        if rng.random() < 0.5:  # lifting off: a thinner tail
            width *= 1.0 - rng.uniform(0.0, 0.35) * np.clip((t - 0.9) / 0.1, 0, 1)
        if rng.random() < self.dryness:  # the marker runs dry for a moment
            where, span = rng.uniform(0.1, 0.9), rng.uniform(0.02, 0.1)
            width *= 1.0 - rng.uniform(0.6, 0.95) * np.exp(-(((t - where) / span) ** 2))
        return np.clip(width, 0.15, None)

    def stroke(self, points: np.ndarray, widths: np.ndarray | None = None) -> None:
        """Draw a polyline given in face units with a width per point (output pixels)."""
        pixels = self.to_pixels(points) * self.scale
        if widths is None:
            widths = self.widths(len(points))
        widths = widths * self.scale
        coords = [tuple(p) for p in pixels.tolist()]
        draw = self.draw
        for i in range(len(coords) - 1):
            w = 0.5 * (widths[i] + widths[i + 1])
            draw.line([coords[i], coords[i + 1]], fill=INK, width=max(1, int(round(w))))
        for (x, y), w in zip(coords, widths):
            r = w / 2
            if r >= 1:
                draw.ellipse([x - r, y - r, x + r, y + r], fill=INK)

    def blob(self, centre: np.ndarray, rx: float, ry: float, lumpiness: float = 0.12) -> None:
        """A filled, slightly lumpy ellipse; centre in face units, radii in output pixels."""
        rng = self.rng
        n = 28
        t = np.linspace(0.0, 1.0, n, endpoint=False)
        angle = 2 * np.pi * t
        r = 1.0 + _wobble(rng, t, lumpiness, terms=2, max_frequency=3.0)
        tilt = rng.uniform(0, np.pi)
        local = np.stack([rx * r * np.cos(angle), ry * r * np.sin(angle)], axis=1) @ _rotation(tilt).T
        pixels = (self.to_pixels(centre[None, :])[0] + local) * self.scale
        self.draw.polygon([tuple(p) for p in pixels.tolist()], fill=INK)

    # --- curves ------------------------------------------------------------
    def points_for(self, length_px: float) -> int:
        """Enough points for a smooth curve of this length (output pixels)."""
        return int(np.clip(length_px / 1.2, 6, 260))

    def arc(self, centre, rx: float, ry: float, start: float, end: float, wobble: float = 0.03,
            tilt: float = 0.0, drift: float = 0.0) -> np.ndarray:
        """Points (face units) of a wobbly ellipse arc from angle start to end (y down)."""
        rng = self.rng
        length = abs(end - start) * 0.5 * (rx + ry) * self.radius
        n = self.points_for(length)
        t = np.linspace(0.0, 1.0, n)
        angle = start + (end - start) * t
        r = 1.0 + _wobble(rng, t, wobble) + drift * t
        local = np.stack([rx * r * np.cos(angle), ry * r * np.sin(angle)], axis=1)
        return np.asarray(centre) + local @ _rotation(tilt).T

    def line(self, a, b, bend: float = 0.0, wobble: float = 0.02) -> np.ndarray:
        """Points (face units) of a nearly straight line from a to b, bent sideways by bend."""
        a, b = np.asarray(a, float), np.asarray(b, float)
        length = float(np.hypot(*(b - a)))
        n = self.points_for(length * self.radius)
        t = np.linspace(0.0, 1.0, n)[:, None]
        normal = np.array([-(b - a)[1], (b - a)[0]])
        sideways = bend * 4 * t * (1 - t) + _wobble(self.rng, t[:, 0], wobble, terms=2)[:, None]
        return a + (b - a) * t + normal * sideways

    # --- finishing ---------------------------------------------------------
    def specks(self) -> None:
        rng = self.rng
        s = self.size * self.scale
        for _ in range(rng.integers(1, 5)):
            x, y = rng.uniform(0, s, 2)
            r = rng.uniform(0.5, 1.6) * self.scale
            self.draw.ellipse([x - r, y - r, x + r, y + r], fill=INK)

    def edge_band(self) -> None:
        """A dark band along one cell edge: the grid line or a shadow from an inexact cut."""
        rng = self.rng
        s = self.size * self.scale
        n = 24
        t = np.linspace(0.0, 1.0, n)
        depth = (rng.uniform(0.8, 4.0) + _wobble(rng, t, 0.5, terms=2)) * self.scale
        depth = np.clip(depth, 0.0, None)
        offset = rng.uniform(0.0, 2.5) * self.scale if rng.random() < 0.4 else 0.0
        start, stop = sorted(rng.uniform(0.0, 1.0, 2)) if rng.random() < 0.35 else (0.0, 1.0)
        keep = (t >= start) & (t <= stop)
        if keep.sum() < 2:
            return
        along = (t[keep] * s).tolist()
        inner = (offset + depth[keep]).tolist()
        outer = [offset] * len(along)
        polygon = list(zip(along, outer)) + list(zip(along[::-1], inner[::-1]))
        edge = rng.integers(4)
        if edge == 1:  # bottom
            polygon = [(x, s - y) for x, y in polygon]
        elif edge == 2:  # left
            polygon = [(y, x) for x, y in polygon]
        elif edge == 3:  # right
            polygon = [(s - y, x) for x, y in polygon]
        self.draw.polygon(polygon, fill=INK)

    def finish(self) -> np.ndarray:
        small = self.image.resize((self.size, self.size), Image.Resampling.BOX)
        gray = np.asarray(small)
        return np.where(gray > THRESHOLD, PAPER, INK).astype(np.uint8)


# --- parts of a face ----------------------------------------------------------

def _outline(sheet: _Sheet) -> None:
    rng = sheet.rng
    start = rng.uniform(0, 2 * np.pi)
    direction = 1 if rng.random() < 0.6 else -1
    # Not closed (a gap) or overlapping where the pen started and stopped.
    closing = rng.choice([rng.uniform(-0.55, -0.1), rng.uniform(-0.05, 0.05), rng.uniform(0.1, 0.6)],
                         p=[0.35, 0.25, 0.4])
    sweep = direction * (2 * np.pi + closing)
    aspect = rng.uniform(*OUTLINE_ASPECT)
    sheet.chin = math.sqrt(aspect)  # the bottom of the outline (face units, before its tilt and wobble)
    points = sheet.arc((0.0, 0.0), 1.0 / math.sqrt(aspect), math.sqrt(aspect), start, start + sweep,
                       wobble=rng.uniform(0.012, 0.03), tilt=rng.normal(0, 0.3), drift=rng.normal(0, 0.03))
    if rng.random() < 0.25 * sheet.dryness + 0.05:  # a bit where the marker skipped
        n = len(points)
        cut = int(rng.uniform(0.15, 0.85) * n)
        gap = max(2, int(rng.uniform(0.01, 0.04) * n))
        sheet.stroke(points[:cut])
        sheet.stroke(points[cut + gap:])
    else:
        sheet.stroke(points)


def _ring(sheet: _Sheet, centre, radius_px: float, aspect: float = 1.0, width: float | None = None) -> None:
    """A small open circle drawn in one stroke (sometimes overlapping a bit)."""
    rng = sheet.rng
    r = sheet.face_units(radius_px)
    start = rng.uniform(0, 2 * np.pi)
    sweep = (2 * np.pi + rng.uniform(-0.35, 0.5)) * (1 if rng.random() < 0.6 else -1)
    points = sheet.arc(centre, r / math.sqrt(aspect), r * math.sqrt(aspect), start, start + sweep,
                       wobble=rng.uniform(0.02, 0.06), tilt=rng.uniform(0, np.pi), drift=rng.normal(0, 0.04))
    widths = None if width is None else sheet.widths(len(points), width)
    sheet.stroke(points, widths)


def _eyes(sheet: _Sheet, label: str, big_rings: bool = False) -> tuple[list[np.ndarray], float, float]:
    """Draw both eyes (large open circles when big_rings).

    Returns their centres (face units), the largest eye radius (output pixels; an "O" mouth must
    be clearly larger) and how far the eyes reach up or down from their centres (face units).
    """
    rng = sheet.rng
    kinds = list(EYE_KINDS)
    kind = "ring" if big_rings else rng.choice(kinds, p=EYE_WEIGHTS[label])
    short_dashes = rng.random() < SMALL_DASH_CHANCE
    spread = rng.uniform(0.22, 0.45)
    height = rng.uniform(-0.45, -0.15)
    skew = rng.normal(0, 0.04)
    unit = sheet.radius
    biggest = reach = 0.0
    centres = []
    base = rng.uniform(*(BIG_RING_EYE_SIZE if big_rings else EYE_SIZE))  # eye size in face units
    if big_rings:  # big eyes need room: apart, not too high, and above the nose
        spread, height = max(spread, 0.3), min(max(height, -0.42), -0.28)
    for side in (-1, 1):
        centre = np.array([side * spread + rng.normal(0, 0.03), height + side * skew + rng.normal(0, 0.025)])
        centres.append(centre)
        size = base * (rng.uniform(0.65, 1.35) if rng.random() < 0.3 else rng.uniform(0.9, 1.1))
        this_kind = kind if big_rings or rng.random() > 0.08 else rng.choice(kinds)
        if this_kind == "dot":
            r = max(size * unit * 0.7, sheet.pen * 0.6)
            sheet.blob(centre, r, r * rng.uniform(0.85, 1.15), lumpiness=0.05)
            biggest = max(biggest, r)
            reach = max(reach, sheet.face_units(r))
        elif this_kind == "blob":
            r = max(size * unit, sheet.pen * 0.7)
            sheet.blob(centre, r * rng.uniform(0.6, 0.9), r * rng.uniform(1.0, 1.5), lumpiness=0.1)
            biggest = max(biggest, r * 1.3)
            reach = max(reach, sheet.face_units(r * 1.5))
        elif this_kind == "dash":
            half = max(size * rng.uniform(*((0.5, 0.9) if short_dashes else (1.2, 2.0))),
                       sheet.face_units(sheet.pen))
            lean = rng.normal(0, 0.25)
            a = centre + half * np.array([math.sin(lean), -math.cos(lean)])
            b = centre - half * np.array([math.sin(lean), -math.cos(lean)])
            sheet.stroke(sheet.line(a, b, bend=rng.normal(0, 0.08)))
            biggest = max(biggest, half * unit * 0.5)
            reach = max(reach, half)
        else:  # an open circle: the hole must survive the thick pen
            width = sheet.pen * rng.uniform(0.75, 0.95)
            r = max(size * unit * 1.1, width / 2 + 1.4)
            _ring(sheet, centre, r, aspect=rng.uniform(0.8, 1.25), width=width)
            biggest = max(biggest, r + width / 2)
            reach = max(reach, sheet.face_units(r * 1.12 + width / 2))
    return centres, biggest, reach


def _nose(sheet: _Sheet, kind: str | None = None) -> None:
    rng = sheet.rng
    centre = np.array([rng.normal(0, 0.05), rng.uniform(-0.12, 0.0)])
    kind = kind or rng.choice(NOSE_KINDS)
    s = rng.uniform(0.07, 0.13)
    if kind == "round":  # a small open circle; the hole must survive the pen
        width = sheet.pen * rng.uniform(0.7, 0.9)
        _ring(sheet, centre, max(s * sheet.radius * 0.8, width / 2 + 1.2), aspect=rng.uniform(0.8, 1.2), width=width)
    elif kind == "dot":
        r = max(0.035 * sheet.radius, sheet.pen * 0.55)
        sheet.blob(centre, r, r, lumpiness=0.05)
    elif kind == "v":
        apex = centre + [0, s * 0.6]
        sheet.stroke(np.concatenate([sheet.line(centre + [-s * 0.6, -s * 0.4], apex),
                                     sheet.line(apex, centre + [s * 0.6, -s * 0.4])]))
    elif kind == "L":
        corner = centre + [-s * 0.3, s * 0.6]
        sheet.stroke(np.concatenate([sheet.line(centre + [-s * 0.3, -s], corner),
                                     sheet.line(corner, corner + [s * 0.8, 0])]))
    else:
        tip = centre + [-s * 0.5, s * 0.2]
        sheet.stroke(np.concatenate([sheet.line(centre + [s * 0.3, -s * 0.7], tip),
                                     sheet.line(tip, centre + [s * 0.3, s * 0.8])]))


def _eyebrows(sheet: _Sheet, eyes: list[np.ndarray], reach: float, label: str) -> None:
    rng = sheet.rng
    gap = reach + sheet.face_units(sheet.pen) + rng.uniform(0.08, 0.15)
    length = rng.uniform(0.1, 0.17)
    for eye in eyes:
        side = 1 if eye[0] > 0 else -1
        centre = eye + [rng.normal(0, 0.03), -gap + rng.normal(0, 0.015)]
        if label == "sad":  # slanted: the inner end higher
            slant = rng.uniform(0.2, 0.5)
            half = length * np.array([math.cos(slant), math.sin(slant)])
            inner, outer = centre - [side * half[0], half[1]], centre + [side * half[0], half[1]]
            sheet.stroke(sheet.line(outer, inner, bend=rng.normal(0, 0.04)))
        else:  # a raised arch
            sheet.stroke(sheet.arc(centre + [0, length * 0.45], length, length * rng.uniform(0.35, 0.55),
                                   np.pi * rng.uniform(1.12, 1.22), np.pi * rng.uniform(1.78, 1.88),
                                   wobble=0.02, tilt=rng.normal(0, 0.12)))


def _tear(sheet: _Sheet, eyes: list[np.ndarray], reach: float) -> None:
    rng = sheet.rng
    eye = eyes[rng.integers(len(eyes))]
    top = eye + [rng.normal(0, 0.03), reach + sheet.face_units(sheet.pen) + rng.uniform(0.04, 0.1)]
    r = rng.uniform(0.045, 0.07)
    bottom = top + [0, r * 2.2]
    drop = np.concatenate([sheet.line(top, bottom + [-r, -r * 0.6], wobble=0.01),
                           sheet.arc(bottom - [0, r * 0.6], r, r * 0.8, np.pi, 0.0, wobble=0.02),
                           sheet.line(bottom + [r, -r * 0.6], top, wobble=0.01)])
    sheet.stroke(drop, np.full(len(drop), max(1.6, sheet.pen * 0.7)))


def _mouth_pen(sheet: _Sheet) -> float:
    """Mouths are often gone over twice or pressed harder: a little bolder than the rest."""
    return sheet.pen * sheet.rng.uniform(*MOUTH_PEN)


def _smile(sheet: _Sheet) -> None:
    rng = sheet.rng
    half_width = rng.uniform(*SMILE_HALF_WIDTH)
    depth = half_width * rng.uniform(0.5, 0.95)
    low = rng.uniform(*SMILE_LOWEST)  # lowest point of the mouth
    centre = np.array([rng.uniform(-MOUTH_JITTER, MOUTH_JITTER),
                       low - depth + rng.uniform(-MOUTH_JITTER, MOUTH_JITTER) * 0.6])
    lift = rng.uniform(-0.15, 0.35)  # how far the corners curl up (angles below 0 go higher)
    lopsided = rng.normal(0, 0.1)
    start, end = -lift + lopsided, np.pi + lift + lopsided
    points = sheet.arc(centre, half_width, depth, start, end, wobble=rng.uniform(0.02, 0.045),
                       tilt=rng.normal(0, 0.07))
    if rng.random() < 0.5:
        points = points[::-1]
    if rng.random() < CLOSED_SMILE_CHANCE:  # a closed smile: the top lip drawn as a flatter curve
        a, b = points[-1], points[0]
        lip = sheet.line(a, b, bend=rng.uniform(-0.1, 0.0) * np.sign(a[0] - b[0] + 1e-9), wobble=0.01)
        points = np.concatenate([points, lip])
    sheet.stroke(points, sheet.widths(len(points), _mouth_pen(sheet)))


def _o_mouth(sheet: _Sheet, eye_size_px: float) -> None:
    rng = sheet.rng
    width = _mouth_pen(sheet)
    smallest = max(eye_size_px * 1.5, width / 2 + 2.4, O_RADIUS[0] * sheet.radius)
    largest = max(smallest * 1.05, O_RADIUS[1] * sheet.radius)
    radius = rng.uniform(smallest, largest)
    r = sheet.face_units(radius)
    aspect = rng.uniform(0.85, 1.4)  # >1: taller than wide
    centre = np.array([rng.uniform(-MOUTH_JITTER, MOUTH_JITTER), rng.uniform(*O_HEIGHT)])
    half_height = r * math.sqrt(aspect)
    centre[1] = min(max(centre[1], 0.1 + half_height), O_LOWEST - half_height)  # below the nose, inside the face
    if rng.random() < LOW_O_CHANCE:  # at the very bottom, touching the outline
        centre[1] = max(0.1 + half_height, rng.uniform(*LOW_O_BOTTOM) * sheet.chin - half_height)
    _ring(sheet, centre, radius, aspect=aspect, width=width)


def _freckles(sheet: _Sheet) -> None:
    """A few small dots on both cheeks."""
    rng = sheet.rng
    for side in (-1, 1):
        for _ in range(rng.integers(2, 5)):
            spot = np.array([side * rng.uniform(0.4, 0.65), rng.uniform(-0.05, 0.3)])
            r = max(0.9, sheet.pen * rng.uniform(0.3, 0.45))
            sheet.blob(spot, r, r, lumpiness=0.05)


def _frown(sheet: _Sheet) -> None:
    rng = sheet.rng
    half_width = rng.uniform(0.25, 0.55)
    depth = half_width * rng.uniform(0.4, 0.9)
    top = rng.uniform(0.2, 0.45)  # highest point of the mouth
    depth = min(depth, 0.8 - top)  # the corners stay clear of the outline
    centre = np.array([rng.uniform(-MOUTH_JITTER, MOUTH_JITTER), top + depth])
    lift = rng.uniform(-0.2, 0.3)
    start, end = np.pi - lift, 2 * np.pi + lift
    points = sheet.arc(centre, half_width, depth, start, end, wobble=rng.uniform(0.02, 0.05),
                       tilt=rng.normal(0, 0.08))
    if rng.random() < 0.5:
        points = points[::-1]
    sheet.stroke(points, sheet.widths(len(points), _mouth_pen(sheet)))


def draw_smiley(label: str, rng: np.random.Generator, size: int = 110) -> np.ndarray:
    """One hand-drawn-looking smiley: (size, size) uint8, 0 for ink and 255 for paper."""
    if label not in LABELS:
        raise ValueError(f"label must be one of {', '.join(LABELS)}, not {label!r}")
    sheet = _Sheet(rng, size)
    _outline(sheet)
    big_rings = rng.random() < BIG_RING_EYES_CHANCE
    eyes, eye_size, reach = _eyes(sheet, label, big_rings)
    if big_rings and rng.random() < BIG_RING_NOSE_CHANCE:
        _nose(sheet, "round")
    elif rng.random() < NOSE_CHANCE:
        _nose(sheet)
    if rng.random() < FRECKLES_CHANCE:
        _freckles(sheet)
    if label == "happy":
        if rng.random() < EYEBROW_CHANCE[label]:
            _eyebrows(sheet, eyes, reach, label)
        _smile(sheet)
    elif label == "surprised":
        if rng.random() < EYEBROW_CHANCE[label]:
            _eyebrows(sheet, eyes, reach, label)
        _o_mouth(sheet, eye_size)
    else:
        if rng.random() < EYEBROW_CHANCE[label]:
            _eyebrows(sheet, eyes, reach, label)
        if rng.random() < TEAR_CHANCE:
            _tear(sheet, eyes, reach)
        _frown(sheet)
    if rng.random() < SPECKS_CHANCE:
        sheet.specks()
    if rng.random() < EDGE_BAND_CHANCE:
        sheet.edge_band()
    return sheet.finish()
