"""Find a sheet's corner markers in a photo and straighten the sheet.

OpenCV's ArUco detector finds the markers (with sub-pixel corners); their
16 corners and where they are on the sheet give the perspective transform,
and warpPerspective turns the photo into a straight, top-down image of the
whole sheet at STRAIGHT_PX_PER_MM.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import cv2
import numpy as np

from smiley_checks.sheets import layout
from smiley_checks.sheets.kinds import OURS, SheetKind

DICTIONARY = OURS.dictionary
STRAIGHT_PX_PER_MM = 5.0  # the straightened sheet: 2100 x 1485 pixels


def dictionary(kind: SheetKind = OURS):
    return cv2.aruco.getPredefinedDictionary(kind.dictionary)


def marker_bits(marker_id: int, kind: SheetKind = OURS) -> np.ndarray:
    """(bits, bits) array, 0 for a black bit and 255 for a white one, border included."""
    return cv2.aruco.generateImageMarker(dictionary(kind), marker_id, kind.marker_bits, borderBits=1)


def detector(kind: SheetKind = OURS):
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    parameters.minMarkerPerimeterRate = 0.01  # markers may be small in a photo of a whole room
    return cv2.aruco.ArucoDetector(dictionary(kind), parameters)


def find_markers(gray: np.ndarray, kind: SheetKind = OURS) -> dict[int, list[np.ndarray]]:
    """marker id -> the (4, 2) corner arrays of each marker with that id in the photo."""
    corners, ids, _ = detector(kind).detectMarkers(gray)
    found: dict[int, list[np.ndarray]] = {}
    if ids is None:
        return found
    for marker_corners, marker_id in zip(corners, ids.ravel()):
        found.setdefault(int(marker_id), []).append(marker_corners.reshape(4, 2).astype(np.float64))
    return found


@dataclass
class Sighting:
    """What the markers in one photo say about the sheet in it."""

    label: str | None  # the sheet the markers belong to (most of them), None if none of ours
    corners: dict[str, np.ndarray] = field(default_factory=dict)  # corner name -> its (4, 2) photo points
    duplicated: bool = False  # one id seen twice: more than one sheet in the photo
    kind: SheetKind = OURS

    @property
    def missing(self) -> list[str]:
        return [corner for corner in layout.CORNERS if corner not in self.corners]


def sight(found: dict[int, list[np.ndarray]], wanted_label: str, kind: SheetKind = OURS) -> Sighting:
    """Which sheet the markers belong to and which of its corners are visible.

    The wanted label wins when any of its markers is there; otherwise the
    label with the most markers (another sheet). The lesson's sheets do not
    say their emotion: they get the wanted label.
    """
    owners = {marker_id: kind.marker_owner(marker_id) for marker_id in found}
    owners = {marker_id: owner for marker_id, owner in owners.items() if owner}
    if not owners:
        return Sighting(None, kind=kind)
    votes = Counter(owner[0] or wanted_label for owner in owners.values())
    label = wanted_label if wanted_label in votes else votes.most_common(1)[0][0]
    sighting = Sighting(label, kind=kind)
    for marker_id, (owner_label, corner) in owners.items():
        if (owner_label or label) != label:
            continue
        if len(found[marker_id]) > 1:
            sighting.duplicated = True
        sighting.corners[corner] = found[marker_id][0]
    return sighting


def marker_px_per_mm(sighting: Sighting) -> float:
    """How many photo pixels a millimetre of the sheet takes, measured on the markers' sides."""
    sides = [np.linalg.norm(np.roll(points, -1, axis=0) - points, axis=1).mean()
             for points in sighting.corners.values()]
    return float(np.mean(sides) / sighting.kind.marker)


def homography(sighting: Sighting, px_per_mm: float = STRAIGHT_PX_PER_MM) -> np.ndarray:
    """Photo pixels -> straightened-sheet pixels, fitted on every visible marker corner."""
    photo, sheet = [], []
    for corner, points in sighting.corners.items():
        photo.extend(points)
        sheet.extend(sighting.kind.marker_box(corner).corners())
    target = layout.mm_to_px(np.asarray(sheet, np.float64), px_per_mm)
    matrix, _ = cv2.findHomography(np.asarray(photo, np.float64), target, 0)
    return matrix


def straight_size(px_per_mm: float = STRAIGHT_PX_PER_MM) -> tuple[int, int]:
    """(width, height) in pixels of a straightened sheet."""
    return round(layout.SHEET_WIDTH * px_per_mm), round(layout.SHEET_HEIGHT * px_per_mm)


def straighten(gray: np.ndarray, sighting: Sighting, px_per_mm: float = STRAIGHT_PX_PER_MM,
                matrix: np.ndarray | None = None) -> np.ndarray:
    """The whole sheet seen from straight above, px_per_mm pixels per millimetre.

    A photo much sharper than needed is first shrunk (area average), so the
    warp does not alias the fine grain of paper and ink. `matrix` (photo ->
    straight pixels) replaces the one fitted on the markers, e.g. one fitted
    on the grid's own lines.
    """
    shrink = marker_px_per_mm(sighting) / px_per_mm
    if shrink > 1.5:
        height, width = gray.shape
        size = (max(1, round(width / shrink)), max(1, round(height / shrink)))
        scale = np.array([size[0] / width, size[1] / height])
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
        sighting = Sighting(sighting.label, {corner: (points + 0.5) * scale - 0.5
                                             for corner, points in sighting.corners.items()}, kind=sighting.kind)
        if matrix is not None:  # the same map, from the shrunk photo's pixels
            to_small = np.array([[scale[0], 0, 0.5 * scale[0] - 0.5], [0, scale[1], 0.5 * scale[1] - 0.5], [0, 0, 1]])
            matrix = matrix @ np.linalg.inv(to_small)
    if matrix is None:
        matrix = homography(sighting, px_per_mm)
    return cv2.warpPerspective(gray, matrix, straight_size(px_per_mm), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
