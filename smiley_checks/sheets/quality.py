"""Is a photo good enough to cut drawings from? Measured on the visible markers.

Every marker is printed exactly, so each one the detector found is looked at
straight on (its own four corners give the perspective) and compared with
the perfect marker: the Gaussian blur that, applied to the perfect marker,
best explains the photo is how blurred the photo is, and the white the fit
needs is how bright the paper is. This works with one marker as well as
with four, so a blurred or dark photo is called that even when the
detector missed some markers because of it.

- Size: how many photo pixels a millimetre of the sheet got (the 110 x 110
  images need about 2 per millimetre).
- Light: the paper's brightness (a photo in the dark is mostly noise once
  its light is evened out).
- Sharpness: the fitted blur, in millimetres of the sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from smiley_checks.sheets.kinds import OURS, SheetKind
from smiley_checks.sheets.layout import CORNERS
from smiley_checks.sheets.markers import STRAIGHT_PX_PER_MM, Sighting, marker_bits

MIN_PX_PER_MM = 2.0  # the images have 110 px for 54 mm, about 2 px per mm
MIN_PAPER_LEVEL = 0.25  # paper darker than a quarter of white: too dark
MAX_BLUR_MM = 0.6  # a Gaussian blur wider than this wipes out thin strokes at 110 px
BLUR_STEPS_MM = np.round(np.arange(0.0, 2.51, 0.05), 2)
QUIET_MM = 2.0  # white paper around a marker that the fit looks at


@dataclass(frozen=True)
class MarkerLook:
    blur_mm: float
    paper: float  # brightness of the white around and in the marker, 0..1
    ink: float  # brightness of its black, 0..1


@dataclass(frozen=True)
class PhotoQuality:
    blur_mm: float
    paper: float

    @property
    def too_dark(self) -> bool:
        return self.paper < MIN_PAPER_LEVEL

    @property
    def too_blurred(self) -> bool:
        return self.blur_mm > MAX_BLUR_MM


def _geometry(px_per_mm: float, kind: SheetKind = OURS) -> tuple[int, int]:
    return round(kind.marker * px_per_mm), round(QUIET_MM * px_per_mm)


def perfect_marker(marker_id: int, px_per_mm: float = STRAIGHT_PX_PER_MM, kind: SheetKind = OURS) -> np.ndarray:
    """The printed marker with QUIET_MM of white around it, 0 (black) .. 1 (white)."""
    side, pad = _geometry(px_per_mm, kind)
    marker = cv2.resize(marker_bits(marker_id, kind), (side, side), interpolation=cv2.INTER_NEAREST)
    return np.pad(marker, pad, constant_values=255).astype(np.float32) / 255.0


def marker_patch(gray: np.ndarray, corners: np.ndarray, px_per_mm: float = STRAIGHT_PX_PER_MM,
                 kind: SheetKind = OURS) -> np.ndarray:
    """One marker and the paper around it, seen straight on at px_per_mm (float32, 0..255)."""
    side, pad = _geometry(px_per_mm, kind)
    low, high = pad - 0.5, pad + side - 0.5  # the marker's outer edges, pixel centres at whole numbers
    target = np.array([[low, low], [high, low], [high, high], [low, high]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), target)
    size = side + 2 * pad
    return cv2.warpPerspective(gray, matrix, (size, size), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE).astype(np.float32)


def look_at_marker(gray: np.ndarray, corners: np.ndarray, marker_id: int,
                   px_per_mm: float = STRAIGHT_PX_PER_MM, kind: SheetKind = OURS) -> MarkerLook:
    """Fit seen = black + (white - black) * blurred(perfect) over the blur steps; keep the best."""
    perfect = perfect_marker(marker_id, px_per_mm, kind)
    seen = marker_patch(gray, corners, px_per_mm, kind).ravel()
    best = None
    for sigma in BLUR_STEPS_MM:
        model = perfect if sigma == 0 else cv2.GaussianBlur(perfect, (0, 0), float(sigma) * px_per_mm)
        design = np.stack([np.ones_like(seen), model.ravel()], axis=1)
        (black, contrast), *_ = np.linalg.lstsq(design, seen, rcond=None)
        error = float(np.sum((design @ np.array([black, contrast]) - seen) ** 2))
        if best is None or error < best[0]:
            best = (error, float(sigma), float(black), float(black + contrast))
    _, sigma, black, white = best
    return MarkerLook(sigma, white / 255.0, black / 255.0)


def photo_quality(gray: np.ndarray, sighting: Sighting) -> PhotoQuality:
    """Blur and paper brightness from every visible marker of the sheet (medians)."""
    kind = sighting.kind
    ids = dict(zip(CORNERS, kind.marker_ids(sighting.label)))
    looks = [look_at_marker(gray, points, ids[corner], kind=kind) for corner, points in sighting.corners.items()]
    return PhotoQuality(float(np.median([look.blur_mm for look in looks])),
                        float(np.median([look.paper for look in looks])))
