"""What the recorder measured during one training run, as plain numbers.

Everything here is computed with numpy from arrays the recorder hands over, so the rules
(and their tests) never need TensorFlow. `Signals` is what a verdict keeps per seed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

# A map whose values span less than this (relative to their size) carries no picture:
# every position says the same. Exact constants (a dead relu's zeros, white paper after
# pooling) span 0.0; float noise in an otherwise constant map stays far below it.
FLAT_SPAN = 1e-5


@dataclass
class LayerSignals:
    name: str
    kind: str  # the Keras class name
    blank_share: float  # share of the probe drawings whose output here is flat (no picture left)
    channels: int
    dead: list[int] = field(default_factory=list)  # channels (filters, units) that are 0 for every probe drawing
    separation: float = float("nan")  # blij-vs-verbaasd distance / distance between drawings of one class


@dataclass
class Signals:
    nan_step: int | None = None  # training step (counted from 1) whose loss was NaN or infinite
    nan_epoch: int | None = None
    zero_output_share: float | None = None  # at the last look before NaN: drawings whose outputs were all 0
    majority_share: float = 0.0  # share of judged drawings given the most common answer
    majority_class: int = 0
    sure_and_wrong_share: float = 0.0  # judged drawings answered wrongly with 95 % certainty or more
    train_accuracy: float | None = None  # the last epoch's training accuracy (Keras' own)
    judged_accuracy: float | None = None  # the run's accuracy as judged
    train_mode_accuracy: float | None = None  # judged drawings in training mode (BatchNormalization uses the batch)
    gradient_ratio: float | None = None  # median over looks of |gradient| first layer / last layer
    gradient_norms: list[float] = field(default_factory=list)  # per kernel layer, median over looks
    gradient_layers: list[str] = field(default_factory=list)
    layers: list[LayerSignals] = field(default_factory=list)

    def to_json(self) -> dict:
        return _finite(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "Signals":
        data = dict(data)
        data["layers"] = [LayerSignals(**layer) for layer in data.get("layers", [])]
        return cls(**data)


def _finite(value):
    """NaN and infinity become None: JSON has neither, and a gradebook must stay valid JSON."""
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def flat(maps: np.ndarray) -> np.ndarray:
    """Per drawing (first axis): True when its map is (nearly) one value everywhere."""
    values = maps.reshape(len(maps), -1).astype(np.float64)
    with np.errstate(all="ignore"):
        span = values.max(axis=1) - values.min(axis=1)
        size = np.abs(values).max(axis=1)
    return ~(span > FLAT_SPAN * np.maximum(size, 1.0))  # NaN maps count as flat: nothing to see


def dead_channels(maps: np.ndarray) -> list[int]:
    """Channels (last axis) that are 0 or less for every drawing and position."""
    channels = maps.reshape(-1, maps.shape[-1])
    with np.errstate(all="ignore"):
        return [int(c) for c in np.flatnonzero(~(channels.max(axis=0) > 0))]


def separation(maps: np.ndarray, labels: np.ndarray) -> float:
    """Mean distance between a blij and a verbaasd map over the mean distance within one class.

    About 1: the two classes look as alike here as two drawings of one class do."""
    values = maps.reshape(len(maps), -1).astype(np.float64)
    if not np.isfinite(values).all():
        return float("nan")
    distance = np.sqrt(np.maximum(((values[:, None, :] - values[None, :, :]) ** 2).sum(axis=2), 0.0))
    same = labels[:, None] == labels[None, :]
    off_diagonal = ~np.eye(len(values), dtype=bool)
    within = distance[same & off_diagonal].mean()
    between = distance[~same].mean()
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    return float(between / within)


def answer_shares(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, int, float]:
    """(share of the most common answer, that answer, share sure and wrong) on judged drawings."""
    if len(probabilities) == 0:
        return 0.0, 0, 0.0
    finite = np.isfinite(probabilities).all(axis=1)
    answers = np.where(finite, probabilities.argmax(axis=1), -1)
    counts = np.bincount(answers[answers >= 0], minlength=probabilities.shape[1]) if finite.any() else np.zeros(1)
    majority = int(np.argmax(counts))
    # A run whose outputs are NaN gives no answer at all: count that as "always the same".
    majority_share = float((counts[majority] + (~finite).sum()) / len(answers))
    with np.errstate(all="ignore"):
        sure = np.where(finite, probabilities.max(axis=1), 0.0) >= 0.95
    wrong = answers != labels
    return majority_share, majority, float(np.mean(sure & wrong & finite))
