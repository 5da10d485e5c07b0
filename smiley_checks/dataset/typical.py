"""Typical drawings of a set: those whose figures are closest to the set's own middle, and a picture of them.

"Closest" is measured over the figures of figures.py, each divided by its spread in the set, from the
set's medians; so a typical drawing is neither unusually big, nor unusually thick, nor unusually low.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from smiley_checks.dataset.figures import figure_matrix


def typical_indices(images: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` most typical drawings, most typical first."""
    figures = figure_matrix(images)
    figures = np.where(np.isfinite(figures), figures, np.nanmedian(figures, axis=0))
    middle = np.median(figures, axis=0)
    spread = figures.std(axis=0)
    spread[spread == 0] = 1.0
    distance = np.sqrt((((figures - middle) / spread) ** 2).sum(axis=1))
    return np.argsort(distance, kind="stable")[:count]


def write_typical(rows: list[tuple[str, np.ndarray]], path: Path, per_row: int = 6) -> Path:
    """One row of typical drawings per (title, images) pair, written as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(rows), per_row, figsize=(per_row * 1.15, len(rows) * 1.45), squeeze=False,
                             gridspec_kw={"wspace": 0.06, "hspace": 0.32, "left": 0.02, "right": 0.98,
                                          "top": 1 - 0.25 / len(rows), "bottom": 0.02})
    for (title, images), row in zip(rows, axes):
        chosen = typical_indices(images, min(per_row, len(images)))
        for column, axis in enumerate(row):
            axis.set_xticks([])
            axis.set_yticks([])
            if column < len(chosen):
                axis.imshow(images[chosen[column]], cmap="gray", vmin=0, vmax=255)
        row[0].set_title(title, fontsize=10, loc="left")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
