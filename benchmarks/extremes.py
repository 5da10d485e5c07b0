"""Is a network trained on the shipped smileys robust to drawings at the real figures' extremes?

    .venv/bin/python -m benchmarks.extremes            # seeds 0-9
    .venv/bin/python -m benchmarks.extremes 0 3        # seeds 0-2
    SMILEY_CHECKS_DATA=DIR .venv/bin/python -m benchmarks.extremes   # trained on other drawings

The held-out drawings are drawn again from their own random streams (same faces, eyes and mouths)
with one thing pushed to what the biggest, heaviest or lowest real drawings show (issue 25,
docs/drawings.md): the biggest faces, the thickest pens, the lowest mouths, and all three at once.
For each seed the lesson's protocol (the original network, fit(epochs=5, batch_size=1) on the
training drawings, SMILEY_CHECKS_DATA or the shipped ones) trains once; the network is then judged
on the shipped held-out split, on each redrawn one and, when it trained on other drawings, on their
held-out split. Prints the figures of every set, a line per seed and a JSON summary (with the
accuracy on each emotion's drawings alone).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time

import numpy as np

import smiley_checks.dataset.drawing as drawing

# What each redrawn set changes in the generator (dataset/drawing.py), on top of its own knobs.
BIGGEST_FACES = {"FACE_RADIUS": (0.45, 0.47), "SMALL_FACE_CHANCE": 0.0}
THICKEST_PENS = {"PEN_WIDTH": (5.0, 6.0), "THIN_PEN_CHANCE": 0.0, "THIN_PEN_SMALL_FACE_CHANCE": 0.0}
LOWEST_MOUTHS = {"LOW_O_CHANCE": 1.0, "SMILE_LOWEST": (0.84, 0.94)}
EXTREMES = {
    "biggest faces": BIGGEST_FACES,
    "thickest pens": THICKEST_PENS,
    "lowest mouths": LOWEST_MOUTHS,
    "all three": {**BIGGEST_FACES, **THICKEST_PENS, **LOWEST_MOUTHS},
}


@contextlib.contextmanager
def knobs(**values):
    """The generator with some module-level knobs changed, for the duration of the block."""
    saved = {name: getattr(drawing, name) for name in values}
    try:
        for name, value in values.items():
            setattr(drawing, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(drawing, name, value)


def redrawn_heldout(changes: dict, classes=("happy", "surprised")):
    """The held-out split drawn again from its own random streams with `changes` to the generator."""
    from smiley_checks.dataset.build import DEFAULT_SEED, image_rng
    from smiley_checks.dataset.layout import SPLIT_SIZES
    from smiley_checks.dataset.loader import Split

    images, labels = [], []
    with knobs(**changes):
        for index, label in enumerate(classes):
            for number in range(SPLIT_SIZES["heldout"]):
                images.append(drawing.draw_smiley(label, image_rng(DEFAULT_SEED, "heldout", label, number)))
                labels.append(index)
    one_hot = np.eye(len(classes), dtype=np.float32)[labels]
    return Split("heldout", np.stack(images)[..., np.newaxis], one_hot, tuple(classes))


def figures_line(name: str, split) -> str:
    from smiley_checks.dataset.figures import summarise

    parts = []
    for index, label in enumerate(split.class_names):
        figures = summarise(split.images[split.label_indices == index])
        parts.append(f"{label} " + ", ".join(f"{figure} {figures[figure].mean:.1f}"
                                             for figure in ("face_size", "stroke_width", "lowest_row")))
    return f"{name}: " + "; ".join(parts)


def main(argv: list[str]) -> int:
    first, stop = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (0, 10)
    from smiley_checks.dataset.layout import SHIPPED_DIR, data_dir
    from smiley_checks.network import build_original
    from smiley_checks.training.data import as_float, training_data
    from smiley_checks.training.protocol import LESSON
    from smiley_checks.training.trainer import FreshCopyTrainer

    data = training_data()
    sets = {"shipped held-out": training_data(root=SHIPPED_DIR).heldout}
    if data_dir().resolve() != SHIPPED_DIR.resolve():
        sets["own held-out"] = data.heldout
    sets.update({name: redrawn_heldout(changes) for name, changes in EXTREMES.items()})
    for name, split in sets.items():
        print(figures_line(name, split), flush=True)
    trainer = FreshCopyTrainer(build_original(), LESSON, data, judge_on="heldout")
    results = {name: [] for name in sets}
    per_emotion = {name: {label: [] for label in data.class_names} for name in sets}
    for seed in range(first, stop):
        started = time.perf_counter()
        trainer.run(seed, verbose=0)
        for name, split in sets.items():
            results[name].append(round(trainer.accuracy_on(as_float(split.images), split.labels), 3))
            for index, label in enumerate(split.class_names):
                keep = split.label_indices == index
                accuracy = trainer.accuracy_on(as_float(split.images[keep]), split.labels[keep])
                per_emotion[name][label].append(round(accuracy, 3))
        line = ", ".join(f"{name} {values[-1]:.3f}" for name, values in results.items())
        print(f"seed {seed} ({time.perf_counter() - started:.0f} s): {line}", flush=True)
    print(json.dumps({"seeds": [first, stop - 1], "accuracies": results,
                      "medians": {name: round(float(np.median(values)), 3) for name, values in results.items()},
                      "per_emotion": per_emotion,
                      "per_emotion_medians": {name: {label: round(float(np.median(values)), 3)
                                                     for label, values in emotions.items()}
                                              for name, emotions in per_emotion.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
