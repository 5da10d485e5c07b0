"""The doctor's task: the evidence of three broken networks, A, B and C, for the student to read.

    show_patient("A")          # its curves, its confusion matrix and its feature maps
    show_patient("original")   # the same of the lesson's network, to compare with

Each network was trained once, the lesson's way (seed 0), when the package was made
(tools/make_patients.py); what is shown comes from patient_data/<letter>.json: numbers only. Which
change broke each is not in this package: the student finds out, the grader knows.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

LETTERS = ("A", "B", "C")
ORIGINAL = "original"  # the lesson's network, trained the same way: to compare with
DATA = Path(__file__).with_name("patient_data")


def load_patient(letter) -> dict:
    name = _name(letter)
    if name not in (*LETTERS, ORIGINAL):
        raise SmileyChecksError(say("patient.unknown", letter=letter, letters=", ".join(LETTERS)))
    path = DATA / f"{name.lower()}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        raise SmileyChecksError(say("patient.missing", path=path)) from None


def _name(letter) -> str:
    name = str(letter).strip()
    return ORIGINAL if name.lower() == ORIGINAL else name.upper()


def _numbers(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _shown(value: float) -> str:
    """A number as a student reads it: 0.693 and 2,472,816 in English, 0,693 and 2.472.816 in Dutch."""
    from smiley_checks.messages import decimal, whole

    if not np.isfinite(value):
        return "NaN"
    return decimal(value, 3) if abs(value) < 1000 else whole(value)


def numbers_text(evidence: dict) -> str:
    """The curves as numbers too: a NaN or a loss in the millions is easier to read than to see."""
    history = {key: _numbers(values) for key, values in evidence["history"].items()}
    lines = [say("patient.epochs", epochs=len(history.get("loss", [])))]
    for key, label in (("loss", "patient.loss"), ("val_loss", "patient.val_loss"),
                       ("accuracy", "patient.accuracy"), ("val_accuracy", "patient.val_accuracy")):
        if key in history:
            lines.append(f"  {say(label)}: " + ", ".join(_shown(v) for v in history[key]))
    return "\n".join(lines)


def plot_maps(evidence: dict, class_names, images, path=None):
    """One drawing of each class, and the liveliest feature map after each block; empty maps marked."""
    from smiley_checks.training.diagnosis.pictures import show_map
    from smiley_checks.training.diagnosis.signals import flat
    from smiley_checks.training.plots import _finish, _pyplot, class_label

    plt = _pyplot()
    blocks = evidence["blocks"]
    rows = len(evidence["drawings"])
    fig, axes = plt.subplots(rows, len(blocks) + 1, figsize=(1.45 * (len(blocks) + 1), 1.6 * rows), squeeze=False)
    for row in range(rows):
        axes[row][0].imshow(images[row], cmap="gray")
        axes[row][0].set_ylabel(class_label(class_names[row]))
        for column, block in enumerate(blocks, start=1):
            grid = np.array([[np.nan if v is None else v for v in line] for line in block[row]], dtype=float)
            ax = axes[row][column]
            if grid.size == 1:  # one number, not a picture: show the number
                ax.imshow(np.zeros((1, 1)), cmap="gray", vmin=-1, vmax=0)
                ax.text(0, 0, _shown(float(grid[0, 0])), ha="center", va="center", fontsize=9)
                if row == 0:
                    ax.set_title(say("patient.block", block=column, size="1 x 1"), fontsize=7)
                continue
            show_map(ax, np.nan_to_num(grid), empty=bool(flat(grid[None])[0]))
            if row == 0:
                ax.set_title(say("patient.block", block=column, size=f"{grid.shape[0]} x {grid.shape[1]}"), fontsize=7)
    for ax in np.ravel(axes):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(say("patient.maps_title"), fontsize=9)
    return _finish(fig, path)


def show_patient(letter, path=None) -> None:
    """Everything a classmate kept of one training of network `letter`: numbers, curves, confusion matrix,
    feature maps. `path`: a folder to save the three pictures in as well (for the teacher's guide)."""
    from smiley_checks.training.data import training_data
    from smiley_checks.training.plots import plot_confusion_counts, plot_curves

    evidence = load_patient(letter)
    name = _name(letter)
    data = training_data()
    history = {key: _numbers(values) for key, values in evidence["history"].items()}
    print(say("patient.original_title" if name == ORIGINAL else "patient.title", letter=name, seed=evidence["seed"]))
    print(numbers_text(evidence))
    folder = Path(path) if path is not None else None
    plot_curves(history, folder / f"{name}-curves.png" if folder else None)
    plot_confusion_counts(np.array(evidence["confusion"]), data.class_names,
                          folder / f"{name}-confusion.png" if folder else None)
    images = data.val.images[evidence["drawings"], :, :, 0]
    plot_maps(evidence, [data.class_names[data.val.label_indices[i]] for i in evidence["drawings"]], images,
              folder / f"{name}-maps.png" if folder else None)
