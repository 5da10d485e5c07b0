"""The styles real classes draw that generator version 2 missed (issue 16), each seen in the pixels.

Each style is switched on for every drawing (and off, the counter-case) and measured on 40 drawings
with OpenCV's connected components: what the style adds must be there when it is on, and rare when
it is off.
"""

import cv2
import numpy as np

import smiley_checks.dataset.drawing as drawing

N = 40


def components(image: np.ndarray, ink: bool, connectivity: int = 8) -> np.ndarray:
    """Areas (pixels) of the connected pieces of ink (or of paper)."""
    mask = ((image == 0) if ink else (image == 255)).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
    return stats[1:, cv2.CC_STAT_AREA]


def drawings(monkeypatch, label: str, **knobs) -> list[np.ndarray]:
    with monkeypatch.context() as patch:
        for name, value in knobs.items():
            patch.setattr(drawing, name, value)
        return [drawing.draw_smiley(label, np.random.default_rng(seed)) for seed in range(N)]


def share(images, test) -> float:
    return float(np.mean([test(image) for image in images]))


def test_small_faces_with_a_thin_pen_use_less_ink(monkeypatch):
    thin = drawings(monkeypatch, "happy", SMALL_FACE_CHANCE=1.0, THIN_PEN_SMALL_FACE_CHANCE=1.0)
    thick = drawings(monkeypatch, "happy", SMALL_FACE_CHANCE=1.0, THIN_PEN_SMALL_FACE_CHANCE=0.0)
    ink = [np.median([(image == 0).mean() for image in images]) for images in (thin, thick)]
    assert ink[0] < 0.75 * ink[1], ink


def test_large_open_circle_eyes_leave_two_holes(monkeypatch):
    def two_holes(image):  # small enclosed pieces of paper: the inside of each ring
        areas = components(image, ink=False, connectivity=4)
        return ((areas >= 10) & (areas <= 400)).sum() >= 2

    rings = drawings(monkeypatch, "happy", BIG_RING_EYES_CHANCE=1.0)
    other = drawings(monkeypatch, "happy", BIG_RING_EYES_CHANCE=0.0)
    assert share(rings, two_holes) >= 0.8
    assert share(other, two_holes) <= 0.2


def test_a_low_o_touches_the_outline(monkeypatch):
    def one_big_piece(image):  # the "O" and the outline drawn into one piece of ink
        return (components(image, ink=True) >= 150).sum() == 1

    low = drawings(monkeypatch, "surprised", LOW_O_CHANCE=1.0)
    usual = drawings(monkeypatch, "surprised", LOW_O_CHANCE=0.0)
    assert share(low, one_big_piece) >= 0.75
    assert share(usual, one_big_piece) <= 0.35


def test_freckles_are_small_dots(monkeypatch):
    def dots(image):
        return (components(image, ink=True) <= 15).sum() >= 4

    freckled = drawings(monkeypatch, "surprised", FRECKLES_CHANCE=1.0)
    plain = drawings(monkeypatch, "surprised", FRECKLES_CHANCE=0.0)
    assert share(freckled, dots) >= 0.5
    assert share(plain, dots) <= 0.1

