"""A labelled grid of sample smileys per class, for people to look at."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from smiley_checks.dataset.loader import Split


def write_preview(split: Split, path: Path, per_class: int = 8, seed: int = 0) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    rows = len(split.class_names)
    fig, axes = plt.subplots(rows, per_class, figsize=(per_class * 1.3, rows * 1.45), squeeze=False)
    for row, name in enumerate(split.class_names):
        indices = np.flatnonzero(split.label_indices == row)
        chosen = rng.choice(indices, size=min(per_class, len(indices)), replace=False) if len(indices) else []
        for column, axis in enumerate(axes[row]):
            axis.set_xticks([])
            axis.set_yticks([])
            if column < len(chosen):
                axis.imshow(split.images[chosen[column], :, :, 0], cmap="gray", vmin=0, vmax=255)
            if column == 0:
                axis.set_ylabel(name, fontsize=12)
    fig.suptitle(f"smileys, split '{split.name}' ({len(split)} images)")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
