"""Look harder for corner markers that the detector's default settings miss.

In a phone photo taken at a steep angle the far markers are small and
squashed: in one real photo of the lesson's sheet OpenCV's default detector
found only 2 of the 4 (its smallest marker perimeter is 3 % of the photo's
width, and more pixels per photo make that bigger). The retries accept
smaller and less square markers with more threshold windows, first on the
photo itself, then enlarged; a marker is kept from the first look that finds
it. (Evening out the contrast first was tried: it only made many false
candidates and took ten times longer.)
"""

from __future__ import annotations

import cv2
import numpy as np

from smiley_checks.sheets.kinds import SheetKind
from smiley_checks.sheets.markers import dictionary, find_markers

UPSCALE = 2.0  # a far marker of 15 px per side becomes 30 px: enough for the bit grid


def _loose_detector(kind: SheetKind):
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    parameters.minMarkerPerimeterRate = 0.005
    parameters.adaptiveThreshWinSizeMin = 3
    parameters.adaptiveThreshWinSizeMax = 53
    parameters.adaptiveThreshWinSizeStep = 4
    parameters.polygonalApproxAccuracyRate = 0.05  # squashed squares are less exactly square
    parameters.perspectiveRemovePixelPerCell = 8
    return cv2.aruco.ArucoDetector(dictionary(kind), parameters)


def _detect(detector, gray: np.ndarray, scale: float = 1.0) -> dict[int, list[np.ndarray]]:
    image = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    corners, ids, _ = detector.detectMarkers(image)
    found: dict[int, list[np.ndarray]] = {}
    for marker_corners, marker_id in zip(corners, [] if ids is None else ids.ravel()):
        points = (marker_corners.reshape(4, 2).astype(np.float64) + 0.5) / scale - 0.5  # back to photo pixels
        found.setdefault(int(marker_id), []).append(points)
    return found


def find_markers_harder(gray: np.ndarray, kind: SheetKind, wanted: set[int]) -> dict[int, list[np.ndarray]]:
    """Like find_markers, but retried until every id in `wanted` is found or the retries run out."""
    found = find_markers(gray, kind)
    loose = _loose_detector(kind)
    looks = (lambda: _detect(loose, gray), lambda: _detect(loose, gray, UPSCALE))
    for look in looks:
        if wanted <= set(found):
            break
        for marker_id, sightings in look().items():
            found.setdefault(marker_id, sightings)
    return found
