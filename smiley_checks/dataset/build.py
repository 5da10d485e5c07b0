"""Generate the whole dataset reproducibly: same seed, same bytes.

Every image has its own random stream derived from (seed, split, class,
index), so one image never depends on how many others were drawn first.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

from smiley_checks.dataset.drawing import GENERATOR_VERSION, draw_smiley
from smiley_checks.dataset.layout import ALL_CLASSES, INFO, MANIFEST, SPLIT_SIZES, SPLITS, image_path

DEFAULT_SEED = 20261126


def image_rng(seed: int, split: str, label: str, index: int) -> np.random.Generator:
    key = [seed, SPLITS.index(split), ALL_CLASSES.index(label), index]
    return np.random.default_rng(np.random.SeedSequence(key))


def png_bytes(pixels: np.ndarray) -> bytes:
    """1-bit PNG: the images are binary, and this keeps the repository small."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).convert("1").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def generate_dataset(out_dir: Path, seed: int = DEFAULT_SEED, sizes: dict | None = None,
                     classes=ALL_CLASSES) -> Path:
    sizes = sizes or SPLIT_SIZES
    out_dir = Path(out_dir)
    lines = []
    for split in SPLITS:
        for label in classes:
            for index in range(sizes[split]):
                pixels = draw_smiley(label, image_rng(seed, split, label, index))
                data = png_bytes(pixels)
                path = image_path(out_dir, split, label, index)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.relative_to(out_dir).as_posix()}")
    (out_dir / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    info = {"seed": seed, "sizes": sizes, "classes": list(classes), "generator": GENERATOR_VERSION}
    (out_dir / INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return out_dir
