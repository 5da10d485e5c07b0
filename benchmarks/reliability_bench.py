"""Lesson protocol, 5 seeds one after another, versus our 5-seed verdict, on the same models.

(a) what a student does in the notebook: for each seed build the model, compile,
    fit(epochs=5, batch_size=1), evaluate on the held-out split;
(b) `reliability(builder, seeds=5)`.
Both run in this one process after TensorFlow is imported, so neither pays the import.
Peak memory of a grading process is measured in a fresh subprocess running (b) alone.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import numpy as np

MODELS = ("original", "no_batchnorm", "no_conv2d")
SEEDS = 5


def lesson_protocol(name: str) -> tuple[float, list[float]]:
    from smiley_checks.keras_env import keras
    from smiley_checks.training.data import as_float, training_data
    from smiley_checks.variants import build_variant

    data = training_data()
    x, y = as_float(data.train.images), data.train.labels
    xh, yh = as_float(data.heldout.images), data.heldout.labels
    started = time.perf_counter()
    accuracies = []
    for seed in range(SEEDS):
        keras.utils.set_random_seed(seed)
        model = build_variant(name)
        model.fit(x, y, epochs=5, batch_size=1, verbose=0)
        accuracies.append(float(np.mean(model.predict(xh, verbose=0).argmax(1) == yh.argmax(1))))
    return time.perf_counter() - started, accuracies


def our_verdict(name: str):
    from smiley_checks.training.reliability import reliability
    from smiley_checks.variants import build_variant

    started = time.perf_counter()
    verdict = reliability(lambda: build_variant(name), seeds=SEEDS)
    return time.perf_counter() - started, verdict


def peak_memory_of_grading_process() -> float:
    code = (
        "import resource; from smiley_checks.training.reliability import reliability;"
        "from smiley_checks.variants import build_variant;"
        "reliability(lambda: build_variant('original'), seeds=5);"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return int(out.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    from smiley_checks.keras_env import keras  # noqa: F401  (import once, outside the timings)

    lesson_total = ours_total = 0.0
    rows = []
    for name in MODELS:
        lesson_seconds, lesson_acc = lesson_protocol(name)
        ours_seconds, verdict = our_verdict(name)
        lesson_total += lesson_seconds
        ours_total += ours_seconds
        rows.append((name, lesson_seconds, lesson_acc, ours_seconds, verdict))
        print(f"{name:<14} lesson 5 seeds {lesson_seconds:6.1f} s  acc {np.round(lesson_acc, 2).tolist()}  |  "
              f"verdict {ours_seconds:5.1f} s  acc {verdict.accuracies} -> {verdict.verdict}", flush=True)
    memory = peak_memory_of_grading_process()
    print(f"reliability speedup: {lesson_total / ours_total:.1f}x "
          f"(lesson protocol {lesson_total:.1f} s vs 5-seed verdict {ours_total:.1f} s over {len(MODELS)} models; "
          f"grading process peak memory {memory:.0f} MB)")
    print(json.dumps({"speedup": round(lesson_total / ours_total, 2), "peak_mb": round(memory)}))


if __name__ == "__main__":
    main()
