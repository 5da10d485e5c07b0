"""A picture for the no-Conv2D task: drawings after 1, 2, 3 max poolings.

Ink is 0 (black) and paper 255 (white); max pooling keeps the largest number of each
2x2 block, so it keeps the paper and the drawing fades away (docs/measurements/).
"""

from __future__ import annotations

import numpy as np

from smiley_checks.messages import say


def pooled(image: np.ndarray, steps: int) -> list[np.ndarray]:
    """The image after 0, 1, ..., steps times 2x2 max pooling (no padding)."""
    out = [image]
    for _ in range(steps):
        x = out[-1]
        h, w = x.shape[0] // 2, x.shape[1] // 2
        out.append(x[:h * 2, :w * 2].reshape(h, 2, w, 2).max(axis=(1, 3)))
    return out


def show_pooling(steps: int = 3, path=None):
    """One drawing of each class after 0..steps poolings; returns the figure."""
    from smiley_checks.training.data import training_data
    from smiley_checks.training.plots import _finish, _pyplot, class_label

    plt = _pyplot()
    data = training_data()
    picks = [int(np.flatnonzero(data.train.label_indices == c)[0]) for c in range(len(data.class_names))]
    fig, axes = plt.subplots(len(picks), steps + 1, figsize=(2 * (steps + 1), 2.2 * len(picks)), squeeze=False)
    for row, index in enumerate(picks):
        for step, x in enumerate(pooled(data.train.images[index, :, :, 0], steps)):
            axis = axes[row][step]
            axis.imshow(x, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
            axis.set_xticks([]), axis.set_yticks([])
            axis.set_title(say("plot.pooling_step", steps=step, size=x.shape[0]), fontsize=9)
        axes[row][0].set_ylabel(class_label(data.class_names[data.train.label_indices[index]]))
    fig.suptitle(say("plot.pooling_title"), fontsize=10)
    return _finish(fig, path)
