"""A dataset folder that imported drawings are added to, in the loader's layout.

    <folder>/<split>/<label>/<nnnn>.png   binarised 110 x 110 (1-bit PNG, as shipped)
    <folder>/MANIFEST.sha256              a checksum line for every image
    <folder>/dataset.json                 counts, and every imported photo with its boxes' files

A whole sheet goes to one split. Each sheet is one student's drawings: split
box by box, a student's faces would be both trained on and graded on, and
the held-out accuracy would flatter. So held-out drawings come from sheets
no model was trained on. Which split a sheet goes to depends only on what
was imported before it (of the same emotion), so it is deterministic:
- the first three sheets of an emotion go to train, heldout and val, so that
  every split has drawings as soon as possible;
- every later sheet goes to the split furthest below its share of the
  shipped proportions (SPLIT_SIZES), counted in drawings.
With 18 full sheets per emotion that gives 312 / 24 / 96 (shipped: 300 / 30 / 100).
New files get the next free numbers: importing more never renumbers or
overwrites, and the same photo (same bytes) is imported only once, so a
sheet's split never changes once it is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from smiley_checks.dataset.build import png_bytes
from smiley_checks.dataset.layout import ALL_CLASSES, INFO, MANIFEST, SHIPPED_DIR, SPLIT_SIZES, SPLITS, image_path
from smiley_checks.dataset.loader import read_manifest
from smiley_checks.errors import UsageError
from smiley_checks.messages import say

SOURCE = "photos of sheets (smiley-checks sheets import)"


def cell_key(row: int, column: int) -> str:
    """'r1c1' is the top-left box; rows and columns counted from 1, as a person reads the sheet."""
    return f"r{row + 1}c{column + 1}"


FIRST_SHEETS = ("train", "heldout", "val")  # held-out before val: grading needs it more


def split_for_sheet(earlier: dict[str, int], drawings: int) -> str:
    """The split for a sheet with `drawings` drawings, given the drawings of its emotion per split so far."""
    for split in FIRST_SHEETS:
        if not earlier.get(split):
            return split
    total = sum(SPLIT_SIZES[split] for split in SPLITS)
    after = sum(earlier.get(split, 0) for split in SPLITS) + drawings
    return max(SPLITS, key=lambda split: SPLIT_SIZES[split] / total * after - earlier.get(split, 0))


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


class ImportFolder:
    """The folder being imported into; `save` after each photo keeps it consistent on disk."""

    def __init__(self, root: Path):
        self.root = Path(root)
        if self.root.resolve() == SHIPPED_DIR.resolve():
            raise UsageError(say("sheets.into_shipped", folder=self.root))
        if self.root.exists() and not self.root.is_dir():
            raise UsageError(say("sheets.into_not_folder", folder=self.root))
        info_path = self.root / INFO
        if info_path.exists():
            self.info = json.loads(info_path.read_text(encoding="utf-8"))
            if "photos" not in self.info:
                raise UsageError(say("sheets.not_imported_folder", folder=self.root))
        else:
            self.info = {"source": SOURCE, "split_weights": dict(SPLIT_SIZES), "classes": [], "counts": {},
                         "photos": []}
        self.manifest = read_manifest(self.root)

    def earlier_import(self, photo_sha256: str) -> str | None:
        """The name under which a photo with these bytes was imported before, if it was."""
        for photo in self.info["photos"]:
            if photo["sha256"] == photo_sha256:
                return photo["name"]
        return None

    def _next_index(self, split: str, label: str) -> int:
        prefix = f"{split}/{label}/"
        numbers = [int(Path(rel).stem) for rel in self.manifest if rel.startswith(prefix) and Path(rel).stem.isdigit()]
        folder = self.root / split / label
        if folder.is_dir():
            numbers += [int(path.stem) for path in folder.glob("*.png") if path.stem.isdigit()]
        return max(numbers, default=-1) + 1

    def add(self, photo_name: str, photo_sha256: str, label: str,
            drawings: dict[tuple[int, int], np.ndarray]) -> dict[str, int]:
        """Write a photo's drawings; returns how many went to each split."""
        for split in SPLITS:  # the loader wants every split's folder, even an empty one (and
            for name in ALL_CLASSES:  # `smiley-checks data` looks at every class, sad included)
                (self.root / split / name).mkdir(parents=True, exist_ok=True)
        files, per_split = {}, {split: 0 for split in SPLITS}
        counts = self.counts()
        split = split_for_sheet({name: counts[name].get(label, 0) for name in SPLITS}, len(drawings))
        for (row, column), pixels in sorted(drawings.items()):
            path = image_path(self.root, split, label, self._next_index(split, label))
            data = png_bytes(pixels)
            with open(path, "xb") as handle:  # never overwrite
                handle.write(data)
            relative = path.relative_to(self.root).as_posix()
            self.manifest[relative] = hashlib.sha256(data).hexdigest()
            files[cell_key(row, column)] = relative
            per_split[split] += 1
        self.info["photos"].append({"name": photo_name, "sha256": photo_sha256, "label": label, "split": split,
                                    "files": files})
        self.save()
        return per_split

    def counts(self) -> dict[str, dict[str, int]]:
        counts = {split: {label: 0 for label in self.labels()} for split in SPLITS}
        for relative in self.manifest:
            split, label, _ = relative.split("/", 2)
            if split in counts and label in counts[split]:
                counts[split][label] += 1
        return counts

    def labels(self) -> list[str]:
        present = {relative.split("/", 2)[1] for relative in self.manifest}
        present.update(photo["label"] for photo in self.info["photos"])
        return [label for label in ALL_CLASSES if label in present]

    def save(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        lines = [f"{digest}  {relative}" for relative, digest in sorted(self.manifest.items())]
        _write_atomically(self.root / MANIFEST, "\n".join(lines) + "\n" if lines else "")
        self.info["classes"] = self.labels()
        self.info["counts"] = self.counts()
        _write_atomically(self.root / INFO, json.dumps(self.info, indent=2) + "\n")
