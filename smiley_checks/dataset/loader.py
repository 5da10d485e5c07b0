"""Load a split as arrays the lesson's network eats directly.

Images: (N, 110, 110, 1) uint8 with values 0 and 255 (no division by 255,
as in the lesson). Labels: (N, C) one-hot float32 in a fixed class order.
Every failure is one DataError sentence naming the file and the fix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from smiley_checks.dataset.layout import ALL_CLASSES, IMAGE_SIZE, LESSON_CLASSES, MANIFEST, SHIPPED_DIR, SPLITS, data_dir
from smiley_checks.errors import DataError
from smiley_checks.messages import say

BINARY_THRESHOLD = 127  # the lesson binarises photos at 127


@dataclass(frozen=True)
class Split:
    name: str
    images: np.ndarray
    labels: np.ndarray
    class_names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.images)

    @property
    def label_indices(self) -> np.ndarray:
        return self.labels.argmax(axis=1)


def read_manifest(root: Path) -> dict[str, str]:
    """relative path -> sha256; empty when the folder has no manifest (a teacher's own photos)."""
    manifest = root / MANIFEST
    if not manifest.exists():
        return {}
    checksums = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, relative = line.partition("  ")
        if len(digest) != 64 or not relative:
            raise DataError(say("data.corrupt_file", path=manifest, reason=f"line {number} is not 'checksum  path'"))
        checksums[relative] = digest
    return checksums


def read_image(path: Path, expected_sha256: str | None) -> np.ndarray:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(say("data.missing_file", path=path)) from None
    if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256:
        raise DataError(say("data.corrupt_file", path=path, reason="its checksum does not match the manifest"))
    try:
        with Image.open(path) as image:
            gray = np.asarray(image.convert("L"))
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise DataError(say("data.corrupt_file", path=path, reason=type(error).__name__)) from None
    if gray.shape != (IMAGE_SIZE, IMAGE_SIZE):
        reason = f"it is {gray.shape[1]} x {gray.shape[0]} pixels, not {IMAGE_SIZE} x {IMAGE_SIZE}"
        raise DataError(say("data.corrupt_file", path=path, reason=reason))
    return np.where(gray > BINARY_THRESHOLD, 255, 0).astype(np.uint8)


def split_files(root: Path, split: str, label: str, manifest: dict[str, str]) -> list[Path]:
    """The files of one split and class: those the manifest lists, else whatever PNGs are there."""
    prefix = f"{split}/{label}/"
    listed = sorted(rel for rel in manifest if rel.startswith(prefix))
    if listed:
        return [root / rel for rel in listed]
    folder = root / split / label
    if not folder.is_dir():
        raise DataError(missing_folder(root, folder))
    return sorted(folder.glob("*.png"))


def missing_folder(root: Path, folder: Path) -> str:
    """The shipped set can be drawn again; a class's own photos must be imported again."""
    shipped = root.resolve() == SHIPPED_DIR.resolve()
    return say("data.missing_folder" if shipped else "data.missing_own_folder", path=folder)


def load_split(split: str, classes=LESSON_CLASSES, root: Path | None = None) -> Split:
    if split not in SPLITS:
        raise DataError(say("data.unknown_split", split=split, choices=", ".join(SPLITS)))
    for name in classes:
        if name not in ALL_CLASSES:
            raise DataError(say("data.unknown_class", name=name, choices=", ".join(ALL_CLASSES)))
    root = Path(root) if root else data_dir()
    if not root.is_dir():
        raise DataError(missing_folder(root, root))
    manifest = read_manifest(root)
    images, labels = [], []
    for class_index, label in enumerate(classes):
        for path in split_files(root, split, label, manifest):
            relative = path.relative_to(root).as_posix()
            images.append(read_image(path, manifest.get(relative)))
            labels.append(class_index)
        if split == "train" and class_index not in labels:
            raise DataError(say("data.empty_class", name=label, path=root / split / label))
    stacked = np.stack(images)[..., np.newaxis] if images else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 1), np.uint8)
    one_hot = np.eye(len(classes), dtype=np.float32)[np.array(labels, dtype=int)]
    return Split(split, stacked, one_hot, tuple(classes))


def load_dataset(classes=LESSON_CLASSES, root: Path | None = None) -> dict[str, Split]:
    return {split: load_split(split, classes, root) for split in SPLITS}
