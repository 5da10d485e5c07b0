"""Where the dataset lives and how its folders are named.

    <data dir>/<split>/<class>/<nnnn>.png     binarised 110 x 110, values 0 and 255
    <data dir>/MANIFEST.sha256                sha256sum-style checksums of every image
    <data dir>/dataset.json                   seed, split sizes and classes it was made with

One setting chooses the folder: the environment variable SMILEY_CHECKS_DATA
(a teacher's own class drawings), otherwise the shipped smileys: `data/smileys` in a
checkout, or where a wheel installed them (<environment>/share/smiley_checks/smileys).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

LESSON_CLASSES = ("happy", "surprised")  # the lesson's two emotions, in one-hot order
ALL_CLASSES = ("happy", "surprised", "sad")  # "sad" is for extension tasks
# "heldout" is for grading only: notebooks train on train and look at val.
SPLITS = ("train", "val", "heldout")
SPLIT_SIZES = {"train": 300, "val": 30, "heldout": 100}  # images per class
IMAGE_SIZE = 110
MANIFEST = "MANIFEST.sha256"
INFO = "dataset.json"
ENV_VAR = "SMILEY_CHECKS_DATA"

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKOUT_DIR = REPO_ROOT / "data" / "smileys"
INSTALLED_DIR = Path(sys.prefix) / "share" / "smiley_checks" / "smileys"  # pyproject's data-files
SHIPPED_DIR = CHECKOUT_DIR if CHECKOUT_DIR.is_dir() else INSTALLED_DIR


def data_dir() -> Path:
    chosen = os.environ.get(ENV_VAR)
    return Path(chosen).expanduser() if chosen else SHIPPED_DIR


def image_path(root: Path, split: str, label: str, index: int) -> Path:
    return root / split / label / f"{index:04d}.png"
