"""The doctor's task (issue 22): which change broke each of three unnamed networks.

The student sees only the evidence of each network (smiley_checks/training/patient_data/<letter>.json:
its curves, confusion matrix and feature maps after one training, made by tools/make_patients.py).
Which break each network is, and so the right answer, is here, in the grader package that a
student's install does not have. The numbered list of changes the student chooses from is public:
it is in the notebook (templates/break_the_model.md, `doctor_changes`), and CHANGES below must say
the same (a test compares them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# The notebook's numbered list of changes, by number: the labelled break each one is (breaks.py),
# or None for a change offered as a choice only.
CHANGES = {
    1: "final_relu",  # the last layer with activation="relu" instead of "softmax"
    2: "dead_first_filter",  # the first Conv2D starts with all its weights 0
    3: "huge_learning_rate",  # adam with learning rate 1.0 instead of 0.001
    4: "too_much_dropout",  # Dropout(0.9) instead of Dropout(0.1)
    5: "no_batchnorm",  # all BatchNormalization removed
    6: None,  # all MaxPooling2D removed (its maps would stay big: the evidence says no)
}
SEED = 0  # one training each, the lesson's way (show_training): what a classmate would show


@dataclass(frozen=True)
class Patient:
    letter: str
    change: int  # the right answer: a number of CHANGES

    @property
    def grade_id(self) -> str:
        return f"doctor_{self.letter}"

    @property
    def break_name(self) -> str:
        return CHANGES[self.change]

    @property
    def texts(self) -> dict:
        """What the judge says (catalogue/answer_key.json)."""
        return {"correct": f"key.{self.grade_id}.correct", "wrong": f"key.{self.grade_id}.wrong"}


# Three signs a student can read without the doctor: black maps from the first block on (a),
# a loss that is NaN from the first epoch (b), a validation loss in the millions (c).
PATIENTS = (Patient("a", 2), Patient("b", 1), Patient("c", 3))


def evidence(break_name: str) -> dict:
    """Train a labelled break (breaks.py) once (seed 0, the lesson's protocol) and keep what a student may
    see: numbers only, no layer names or settings."""
    from smiley_checks.keras_env import keras
    from smiley_checks.training.diagnosis.breaks import by_name
    from smiley_checks.training.protocol import LESSON
    from smiley_checks.training.train import train

    labelled = by_name(break_name)
    result = train(lambda: labelled.build(keras), seed=SEED, protocol=LESSON, diagnose=True, verbose=0)
    view = result.view
    predicted = result.predictions()
    truth = result.data.val.label_indices
    classes = len(result.data.class_names)
    confusion = np.zeros((classes, classes), dtype=int)
    for t, p in zip(truth, predicted):
        confusion[t, p] += 1
    # One drawing of each class: the first of each in the validation split (also the doctor's probes).
    drawings = [int(np.flatnonzero(truth == c)[0]) for c in range(classes)]
    probe_rows = [int(np.flatnonzero(view.probe_labels == c)[0]) for c in range(classes)]
    blocks = []
    for layer, maps in zip(view.layers, view.maps or []):
        if type(layer).__name__ != "MaxPooling2D":
            continue
        mine = np.asarray(maps, dtype=np.float64)[probe_rows]
        with np.errstate(all="ignore"):
            spread = np.nan_to_num(mine.reshape(-1, mine.shape[-1]).std(axis=0), nan=-1.0)
        channel = int(np.argmax(spread))  # the liveliest channel, the same for both drawings
        blocks.append([_rounded(mine[row, :, :, channel]) for row in range(len(probe_rows))])
    return {
        "seed": SEED,
        "history": {key: [_number(v) for v in values] for key, values in result.history.items()},
        "confusion": confusion.tolist(),
        "drawings": drawings,
        "blocks": blocks,
    }


def _number(value) -> float | None:
    value = float(value)
    return round(value, 4) if np.isfinite(value) else None  # JSON has no NaN: None is "not a number"


def _rounded(grid: np.ndarray) -> list:
    return [[_number(v) for v in row] for row in grid]
