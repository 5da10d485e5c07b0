"""The drawing figures on synthetic drawings whose answers are known by hand."""

import math

import numpy as np
import pytest

from smiley_checks.dataset.figures import FIGURES, HOLE_PIXELS, measure, summarise

SIZE = 110


def paper() -> np.ndarray:
    return np.full((SIZE, SIZE), 255, np.uint8)


def rectangle(top, bottom, left, right) -> np.ndarray:
    """Ink on rows top..bottom and columns left..right (inclusive)."""
    image = paper()
    image[top:bottom + 1, left:right + 1] = 0
    return image


def test_a_filled_rectangle():
    figures = measure(rectangle(20, 59, 30, 89))  # 40 rows x 60 columns
    assert figures["ink_share"] == 2400 / SIZE**2
    assert figures["face_size"] == 60
    assert figures["lowest_row"] == 59
    assert figures["pieces"] == 1
    assert figures["holes"] == 0
    # The edge is the rectangle's rim: 2 x 60 + 2 x 38 pixels.
    assert figures["stroke_width"] == pytest.approx(2 * 2400 / 196)
    # Bounding box centre (39.5, 59.5), cell centre (54.5, 54.5).
    assert figures["centre_offset"] == pytest.approx(math.hypot(15, 5))


def test_a_stroke_measures_its_width():
    for width in (2, 4, 6):
        figures = measure(rectangle(50, 50 + width - 1, 10, 89))  # 80 long
        edge = 2 * 80 + 2 * (width - 2)
        assert figures["stroke_width"] == pytest.approx(2 * 80 * width / edge)
        assert abs(figures["stroke_width"] - width) < 0.15 * width


def test_a_ring_is_one_piece_with_one_hole():
    image = rectangle(10, 49, 10, 49)
    image[13:47, 13:47] = 255  # walls 3 px thick
    figures = measure(image)
    assert figures["pieces"] == 1 and figures["holes"] == 1
    assert figures["face_size"] == 40 and figures["lowest_row"] == 49


def test_small_gaps_in_ink_are_not_holes():
    image = rectangle(10, 30, 10, 30)
    image[15:17, 15:17] = 255  # 4 px of paper inside the ink
    assert HOLE_PIXELS > 4 and measure(image)["holes"] == 0
    image[20:23, 20:23] = 255  # 9 px
    assert measure(image)["holes"] == 1


def test_paper_that_reaches_the_border_is_not_a_hole():
    image = rectangle(0, 40, 0, 40)
    image[0:20, 0:20] = 255  # a notch open to the cell's corner
    assert measure(image)["holes"] == 0


def test_pieces_touch_above_below_left_or_right():
    image = paper()
    image[10, 10] = image[11, 11] = 0  # corners only: two pieces
    image[50:53, 50:53] = 0
    image[80, 80] = 0
    assert measure(image)["pieces"] == 4


def test_ink_on_the_border_counts_as_an_edge():
    figures = measure(rectangle(108, 109, 0, 109))  # a band along the bottom
    assert figures["lowest_row"] == 109 and figures["face_size"] == 110
    assert figures["stroke_width"] == pytest.approx(2 * 220 / 220)  # every pixel touches paper or border


def test_a_blank_cell_has_no_size():
    figures = measure(paper())
    assert figures["ink_share"] == 0 and figures["pieces"] == 0 and figures["holes"] == 0
    for name in ("face_size", "stroke_width", "lowest_row", "centre_offset"):
        assert math.isnan(figures[name])


def test_grey_values_are_binarised_at_127_and_a_channel_axis_is_fine():
    image = paper()
    image[5:10, 5:10] = 127  # ink
    image[20:30, 20:30] = 128  # paper
    figures = measure(image[..., None])
    assert figures["ink_share"] == 25 / SIZE**2 and figures["lowest_row"] == 9


def test_summary_is_mean_and_spread_and_leaves_blank_cells_out():
    images = np.stack([rectangle(0, 9, 0, 9), rectangle(0, 19, 0, 19), paper()])
    summary = summarise(images)
    assert set(summary) == set(FIGURES)
    assert summary["ink_share"].mean == pytest.approx((100 + 400 + 0) / 3 / SIZE**2 * 100)  # a percentage
    assert summary["ink_share"].count == 3
    assert summary["face_size"].mean == 15 and summary["face_size"].spread == 5
    assert summary["face_size"].count == 2
