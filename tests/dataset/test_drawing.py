"""The smiley generator: shape, values, determinism, labels and variety."""

import numpy as np
import pytest

from smiley_checks.dataset.drawing import GENERATOR_VERSION, LABELS, draw_smiley

SIZE = 110


def draw(label, seed, size=SIZE):
    return draw_smiley(label, np.random.default_rng(seed), size)


def ink_fraction(image):
    return float((image == 0).mean())


def test_generator_version_is_a_string():
    assert isinstance(GENERATOR_VERSION, str) and GENERATOR_VERSION


@pytest.mark.parametrize("label", ["happy", "surprised", "sad"])
def test_shape_dtype_and_values(label):
    image = draw(label, 1)
    assert image.shape == (SIZE, SIZE)
    assert image.dtype == np.uint8
    assert set(np.unique(image)) <= {0, 255}
    assert set(np.unique(image)) == {0, 255}  # some ink, some paper


def test_default_size_is_110():
    assert draw_smiley("happy", np.random.default_rng(0)).shape == (110, 110)


@pytest.mark.parametrize("size", [64, 220])
def test_other_sizes(size):
    image = draw("surprised", 3, size)
    assert image.shape == (size, size) and image.dtype == np.uint8
    assert 0.03 < ink_fraction(image) < 0.3


def test_labels_cover_the_three_emotions():
    assert set(LABELS) == {"happy", "surprised", "sad"}


@pytest.mark.parametrize("label", ["happy", "surprised", "sad"])
def test_same_seed_same_image(label):
    np.testing.assert_array_equal(draw(label, 42), draw(label, 42))


def test_uses_only_the_given_generator():
    """Global random state and the wall clock play no part."""
    np.random.seed(1)
    first = draw("happy", 7)
    np.random.seed(2)
    np.random.random(100)
    second = draw("happy", 7)
    np.testing.assert_array_equal(first, second)


def test_generator_state_advances():
    rng = np.random.default_rng(5)
    first = draw_smiley("sad", rng)
    second = draw_smiley("sad", rng)
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("label", ["happy", "surprised", "sad"])
def test_different_seeds_differ(label):
    assert not np.array_equal(draw(label, 1), draw(label, 2))


def test_labels_differ_for_the_same_seed():
    images = [draw(label, 11) for label in LABELS]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert not np.array_equal(images[i], images[j])


@pytest.mark.parametrize("label", ["", "Happy", "angry", None])
def test_unknown_label_raises(label):
    with pytest.raises(ValueError):
        draw_smiley(label, np.random.default_rng(0))


@pytest.mark.parametrize("label", ["happy", "surprised", "sad"])
def test_ink_fraction_is_sane(label):
    """Thick-marker drawings: ink is a minority of the cell, but never a blank page."""
    fractions = [ink_fraction(draw(label, seed)) for seed in range(40)]
    assert min(fractions) > 0.03  # small faces drawn with a thin pen use about 4% of the cell
    assert max(fractions) < 0.25


def test_ink_amounts_overlap_between_happy_and_surprised():
    """The amount of ink alone must not tell the lesson's two classes apart."""
    happy = np.array([ink_fraction(draw("happy", seed)) for seed in range(60)])
    surprised = np.array([ink_fraction(draw("surprised", seed)) for seed in range(60)])
    low, high = max(happy.min(), surprised.min()), min(happy.max(), surprised.max())
    assert high > low
    assert np.mean((happy >= low) & (happy <= high)) > 0.6
    assert np.mean((surprised >= low) & (surprised <= high)) > 0.6


@pytest.mark.parametrize("label", ["happy", "surprised", "sad"])
def test_variety_within_a_class(label):
    """Not one stamp: any two drawings of a class differ in many pixels."""
    images = np.stack([draw(label, seed) for seed in range(20)]) == 0
    differences = [
        np.sum(images[i] != images[j]) / max(1, min(images[i].sum(), images[j].sum()))
        for i in range(len(images)) for j in range(i + 1, len(images))
    ]
    # relative to the ink of the lighter drawing: thin strokes that moved a few pixels count fully
    assert min(differences) > 0.4
    assert np.median(differences) > 1.0


def test_faces_are_not_all_in_the_same_place():
    centres = []
    for seed in range(30):
        ys, xs = np.nonzero(draw("happy", seed) == 0)
        centres.append((xs.mean(), ys.mean()))
    centres = np.array(centres)
    assert centres.std(axis=0).min() > 1.0


def test_fast_enough():
    import time

    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for index in range(30):
        draw_smiley(LABELS[index % 3], rng)
    assert (time.perf_counter() - start) / 30 < 0.02
