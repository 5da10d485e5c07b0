"""Training protocols: the lesson's own, and the calibrated one used for verdicts.

The numbers in GRADING were chosen by measurement (`smiley-checks calibrate`,
see the README): they are the cheapest settings that still judge the original
network reliable on every seed and the no-Conv2D network never reliable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Protocol:
    name: str
    epochs: int
    batch_size: int
    # Multiplies the learning rate the student compiled with (their optimizer is kept):
    # larger batches take fewer steps, so each step may be bolder.
    learning_rate_scale: float = 1.0
    # Train on the first N drawings of each class only (None: all of them).
    train_per_class: int | None = None
    # Stop a run early once its validation accuracy is at least this (None: never) ...
    stop_when_val_accuracy: float | None = None
    # ... or once it is still guessing after this many epochs: training accuracy below
    # give_up_below (validation accuracy is too noisy this early to decide on).
    give_up_after_epochs: int | None = None
    give_up_below: float = 0.6
    # Held-out accuracy a run needs to count as a pass, and below which it counts as chance.
    # Recompute BatchNormalization statistics before every judgement (see batchnorm.py),
    # from the first N training drawings of each class.
    recalibrate_batchnorm: bool = False
    recalibration_per_class: int = 100
    pass_accuracy: float = 0.85
    chance_accuracy: float = 0.65

    def with_(self, **changes) -> "Protocol":
        return replace(self, **changes)


# What the lesson's notebook does: fit(epochs=5, batch_size=1).
LESSON = Protocol(name="lesson", epochs=5, batch_size=1)

GRADING = Protocol(
    name="grading",
    epochs=5,
    batch_size=16,
    learning_rate_scale=4.0,
    stop_when_val_accuracy=0.95,
    give_up_after_epochs=3,
    recalibrate_batchnorm=True,
)
