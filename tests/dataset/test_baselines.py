"""The dataset is not trivially separable: trivial models do clearly worse than the lesson's CNN."""

import numpy as np
import pytest

from smiley_checks.dataset.baselines import ink_threshold_accuracy, logistic_regression_accuracy
from smiley_checks.dataset.loader import load_split

CLEAR_MARGIN = 0.08


@pytest.fixture(scope="module")
def splits():
    return load_split("train"), load_split("heldout")


def test_the_baselines_are_real_classifiers(splits, tiny_dataset):
    # A baseline that always scored 0.5 would make the comparison below meaningless:
    # on a trivially separable set (two constant images) both must be perfect.
    train, heldout = splits
    easy = type(train)("easy", np.stack([train.images[0]] * 10 + [train.images[-1]] * 10),
                       np.eye(2, dtype=np.float32)[[0] * 10 + [1] * 10], train.class_names)
    assert logistic_regression_accuracy(easy, easy) == 1.0
    assert ink_threshold_accuracy(easy, easy) == 1.0


@pytest.mark.slow
def test_ink_and_logistic_regression_do_clearly_worse_than_the_cnn(splits):
    from smiley_checks.network import build_original
    from smiley_checks.training.reliability import reliability

    train, heldout = splits
    ink = ink_threshold_accuracy(train, heldout)
    linear = logistic_regression_accuracy(train, heldout)
    cnn = min(reliability(build_original, seeds=2).accuracies)
    assert ink < 0.7, ink
    assert linear <= cnn - CLEAR_MARGIN, (linear, cnn)
    assert ink <= cnn - CLEAR_MARGIN, (ink, cnn)
