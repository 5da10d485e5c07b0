"""benchmarks/extremes.py redraws the shipped held-out drawings, and its extremes are extreme."""

import numpy as np
import pytest

import smiley_checks.dataset.drawing as drawing
from benchmarks.extremes import EXTREMES, knobs, redrawn_heldout
from smiley_checks.dataset.figures import summarise
from smiley_checks.dataset.loader import load_split


@pytest.fixture(scope="module")
def heldout():
    return load_split("heldout")


def test_with_no_change_it_draws_the_shipped_heldout_again(heldout):
    again = redrawn_heldout({})
    np.testing.assert_array_equal(again.images, heldout.images)
    np.testing.assert_array_equal(again.labels, heldout.labels)


def test_knobs_are_put_back():
    before = drawing.PEN_WIDTH
    with knobs(PEN_WIDTH=(9.0, 9.5)):
        assert drawing.PEN_WIDTH == (9.0, 9.5)
    assert drawing.PEN_WIDTH == before


@pytest.mark.parametrize("name, figure, at_least", [
    ("biggest faces", "face_size", 10.0),  # pixels more than the shipped drawings
    ("thickest pens", "stroke_width", 1.2),
    ("lowest mouths", "lowest_row", 1.0),  # verbaasd: every "O" on the outline
])
def test_each_extreme_pushes_its_figure(heldout, name, figure, at_least):
    redrawn = redrawn_heldout(EXTREMES[name])
    label = 1  # surprised
    shipped = summarise(heldout.images[heldout.label_indices == label])[figure].mean
    pushed = summarise(redrawn.images[redrawn.label_indices == label])[figure].mean
    assert pushed >= shipped + at_least, (name, shipped, pushed)
