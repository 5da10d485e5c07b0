"""The lesson's own protocol on the shipped drawings (or SMILEY_CHECKS_DATA), seed by seed.

    .venv/bin/python -m benchmarks.lesson_seeds            # seeds 0-9
    .venv/bin/python -m benchmarks.lesson_seeds 0 20       # seeds 0-19
    .venv/bin/python -m benchmarks.lesson_seeds converged  # the CNN trained to convergence, seeds 0-2

For each seed: the original network, fit(epochs=5, batch_size=1) on the training drawings, then
its accuracy on the held-out drawings; and the two trivial baselines (ink threshold, logistic
regression on raw pixels) on the same split. Prints one line per seed and a summary line.
"Trained to convergence" is what tests/dataset/test_baselines.py compares the baselines with.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np


def converged() -> int:
    from smiley_checks.network import build_original
    from smiley_checks.training.data import training_data
    from smiley_checks.training.protocol import GRADING
    from smiley_checks.training.trainer import FreshCopyTrainer

    protocol = GRADING.with_(stop_when_val_accuracy=None, epochs=8)  # as in test_baselines.py
    trainer = FreshCopyTrainer(build_original(), protocol, training_data(), judge_on="heldout")
    print(json.dumps({"converged": [round(trainer.run(seed, verbose=0).accuracy, 3) for seed in range(3)]}))
    return 0


def main(argv: list[str]) -> int:
    if argv == ["converged"]:
        return converged()
    first, stop = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (0, 10)
    from smiley_checks.dataset.baselines import ink_threshold_accuracy, logistic_regression_accuracy
    from smiley_checks.network import build_original
    from smiley_checks.training.data import training_data
    from smiley_checks.training.protocol import LESSON
    from smiley_checks.training.trainer import FreshCopyTrainer

    data = training_data()
    ink = ink_threshold_accuracy(data.train, data.heldout)
    linear = logistic_regression_accuracy(data.train, data.heldout)
    print(f"ink threshold {ink:.3f}, logistic regression {linear:.3f}", flush=True)
    trainer = FreshCopyTrainer(build_original(), LESSON, data, judge_on="heldout")
    accuracies = []
    for seed in range(first, stop):
        started = time.perf_counter()
        accuracy = trainer.run(seed, verbose=0).accuracy
        accuracies.append(accuracy)
        print(f"seed {seed}: {accuracy:.3f} ({time.perf_counter() - started:.0f} s)", flush=True)
    passing = sum(accuracy >= 0.90 for accuracy in accuracies)
    print(json.dumps({"seeds": [first, stop - 1], "accuracies": [round(a, 3) for a in accuracies],
                      "at_least_0.90": passing, "median": round(float(np.median(accuracies)), 3),
                      "ink": round(ink, 3), "logistic_regression": round(linear, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
