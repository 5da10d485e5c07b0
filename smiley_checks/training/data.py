"""The splits a training run needs, loaded once per process and kept as float32."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from smiley_checks.dataset.layout import LESSON_CLASSES, data_dir
from smiley_checks.dataset.loader import Split, load_split


@dataclass(frozen=True)
class TrainingData:
    train: Split
    val: Split
    heldout: Split

    @property
    def class_names(self) -> tuple[str, ...]:
        return self.train.class_names


def as_float(images: np.ndarray) -> np.ndarray:
    # Still 0..255 as in the lesson (no division by 255); float32 once, not per epoch.
    return images.astype(np.float32)


@lru_cache(maxsize=4)
def _load(root: str, classes: tuple[str, ...]) -> TrainingData:
    splits = {name: load_split(name, classes, Path(root)) for name in ("train", "val", "heldout")}
    return TrainingData(**splits)


def training_data(classes=LESSON_CLASSES, root: Path | None = None) -> TrainingData:
    return _load(str(Path(root) if root else data_dir()), tuple(classes))
