"""The smiley images: where they live, how they are drawn, built and loaded."""

from smiley_checks.dataset.layout import ALL_CLASSES, LESSON_CLASSES, SPLITS, data_dir
from smiley_checks.dataset.loader import Split, load_dataset, load_split

__all__ = ["ALL_CLASSES", "LESSON_CLASSES", "SPLITS", "Split", "data_dir", "load_dataset", "load_split"]
