"""Trivial models that must NOT tell the classes apart well: the dataset's difficulty check.

If the amount of ink, or a linear template over raw pixels, separated happy from
surprised, students would "break" a network that did not need its layers at all.
"""

from __future__ import annotations

import numpy as np

from smiley_checks.dataset.loader import Split


def ink_counts(split: Split) -> np.ndarray:
    return (split.images == 0).reshape(len(split), -1).sum(axis=1)


def ink_threshold_accuracy(train: Split, test: Split) -> float:
    """Best single threshold on the number of ink pixels, chosen on train, scored on test."""
    counts, labels = ink_counts(train), train.label_indices
    best_accuracy, best_rule = -1.0, (0, 1)
    for threshold in np.unique(counts):
        for sign in (1, -1):
            accuracy = np.mean((sign * counts > sign * threshold) == labels)
            if accuracy > best_accuracy:
                best_accuracy, best_rule = accuracy, (threshold, sign)
    threshold, sign = best_rule
    return float(np.mean((sign * ink_counts(test) > sign * threshold) == test.label_indices))


def logistic_regression_accuracy(train: Split, test: Split) -> float:
    from sklearn.linear_model import LogisticRegression

    def pixels(split: Split) -> np.ndarray:
        return split.images.reshape(len(split), -1) / 255.0

    model = LogisticRegression(max_iter=2000).fit(pixels(train), train.label_indices)
    return float(model.score(pixels(test), test.label_indices))
