"""Pictures a student looks at after training: curves, confusion matrix, mistakes.

Each function draws one figure and returns it; with `path` it is also saved
(for the demo and the teacher's report). In a notebook the figure shows itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from smiley_checks.messages import say


def class_label(name: str) -> str:
    """A class folder's name (happy, surprised) in the student's language (blij, verbaasd)."""
    from smiley_checks.messages import catalogue

    return say(f"class.{name}") if f"class.{name}" in catalogue() else name


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("module://matplotlib_inline.backend_inline", "nbagg", "ipympl"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _finish(fig, path):
    fig.tight_layout()
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=90)
    return fig


def plot_curves(history: dict, path=None):
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    epochs = np.arange(1, len(history.get("loss", [])) + 1)
    for key, label in (("loss", say("plot.training")), ("val_loss", say("plot.validation"))):
        if key in history:
            left.plot(epochs, history[key], marker="o", label=label)
    for key, label in (("accuracy", say("plot.training")), ("val_accuracy", say("plot.validation"))):
        if key in history:
            right.plot(epochs, history[key], marker="o", label=label)
    left.set(title=say("plot.loss"), xlabel=say("plot.epoch"))
    right.set(title=say("plot.accuracy"), xlabel=say("plot.epoch"), ylim=(0, 1.02))
    losses = np.asarray([*history.get("loss", []), *history.get("val_loss", [])], dtype=float)
    if losses.size and not np.isfinite(losses).any():  # nothing to draw: say so, not an empty grid
        left.text(0.5, 0.5, say("assign.nan_short"), transform=left.transAxes, ha="center", va="center",
                  fontsize=14, color="#d62728")
    for axis in (left, right):
        axis.legend()
        axis.grid(alpha=0.3)
        axis.set_xticks(epochs)  # epochs are whole numbers, also when there is only one
    return _finish(fig, path)


def plot_confusion_matrix(true: np.ndarray, predicted: np.ndarray, class_names, path=None):
    from sklearn.metrics import confusion_matrix

    return plot_confusion_counts(confusion_matrix(true, predicted, labels=range(len(class_names))), class_names, path)


def plot_confusion_counts(matrix: np.ndarray, class_names, path=None):
    """The confusion matrix from its counts (row: what the drawing is; column: what the network says)."""
    plt = _pyplot()
    matrix = np.asarray(matrix)
    fig, axis = plt.subplots(figsize=(4.2, 3.8))
    axis.imshow(matrix, cmap="Blues")
    for (row, column), count in np.ndenumerate(matrix):
        colour = "white" if count > matrix.max() / 2 else "black"
        axis.text(column, row, str(count), ha="center", va="center", color=colour, fontsize=14)
    ticks = range(len(class_names))
    labels = [class_label(name) for name in class_names]
    axis.set_xticks(ticks, labels)
    axis.set_yticks(ticks, labels)
    axis.set(xlabel=say("plot.says"), ylabel=say("plot.is"), title=say("plot.confusion"))
    return _finish(fig, path)


def plot_mistakes(split, predicted: np.ndarray, path=None, limit: int = 12):
    plt = _pyplot()
    wrong = np.flatnonzero(predicted != split.label_indices)[:limit]
    columns = max(1, min(6, len(wrong)))
    rows = max(1, int(np.ceil(len(wrong) / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.6, rows * 1.8), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for axis, index in zip(axes.flat, wrong):
        axis.imshow(split.images[index, :, :, 0], cmap="gray", vmin=0, vmax=255)
        axis.set_title(say("plot.mistake", true=class_label(split.class_names[split.label_indices[index]]),
                           said=class_label(split.class_names[predicted[index]])), fontsize=8)
    fig.suptitle(say("plot.mistakes", count=len(wrong)) if len(wrong) else say("plot.no_mistakes"))
    return _finish(fig, path)
