"""One picture per diagnosis, from the run's own probe drawings and maps, and the seed strip.

Each function returns a matplotlib figure (in a notebook it shows itself); `picture()` picks
the one that goes with a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from smiley_checks.messages import say
from smiley_checks.training.diagnosis.rules import ORDER, Finding
from smiley_checks.training.diagnosis.signals import Signals, flat
from smiley_checks.training.plots import _finish, _pyplot, class_label

# One colour per diagnosis (and grey for none), the same in every picture and the seed strip.
COLOURS = dict(zip(ORDER, ("#000000", "#7f3b08", "#b35806", "#542788", "#8073ac", "#d6604d", "#f4a582",
                           "#2166ac", "#4393c3", "#92c5de")))
NO_FINDING = "#bbbbbb"
SPATIAL_KINDS = ("Conv2D", "MaxPooling2D")


@dataclass
class RunView:
    """What a picture may show of one run: its signals, maps and answers (kept in memory only)."""
    signals: Signals
    model: object
    layers: list  # the model's layers without the input, as the maps are ordered
    maps: list[np.ndarray] | None  # each layer's output for the probe drawings, at the last look
    maps_before_nan: list[np.ndarray] | None
    probe_images: np.ndarray
    probe_labels: np.ndarray
    judged_labels: np.ndarray
    judged_answers: np.ndarray
    class_names: tuple
    history: dict

    @classmethod
    def of(cls, trainer, run, class_names) -> "RunView":
        """The view of the run a FreshCopyTrainer with the doctor (diagnose=True) just made."""
        recorder = trainer.recorder
        return cls(signals=run.signals, model=trainer.model, layers=recorder.layers, maps=recorder.last_maps,
                   maps_before_nan=recorder.maps_before_nan, probe_images=recorder.probe_images,
                   probe_labels=recorder.probe_labels, judged_labels=trainer.y_judge.argmax(axis=1),
                   judged_answers=recorder.judged_answers, class_names=class_names, history=run.history)


def png_base64(figure) -> str:
    """A figure as a base64 PNG (for the feedback, drawn by the judge outside the student's kernel), closed."""
    import base64
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    _pyplot().close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def picture(finding: Finding, view: RunView, path=None):
    if finding.code == "blank_maps" and finding.details.get("kind") not in SPATIAL_KINDS:
        return numbers_per_drawing(view, finding, path)  # a Dense layer has numbers, not pictures
    draw = {
        "nan_loss": outputs_before_nan, "dead_filter": dead_filter, "blank_maps": maps_per_layer,
        "vanishing_gradients": gradients, "exploding_gradients": gradients, "one_answer": answers,
        "classes_alike": numbers_per_drawing, "batchnorm_gap": batchnorm, "overfitting": curves,
        "overconfident": curves,
    }[finding.code]
    return draw(view, finding, path)


def numbers_per_drawing(view: RunView, finding: Finding, path=None):
    """One row per probe drawing: the numbers a layer gives it (blank_maps: that layer; classes_alike: the
    last layer before the answer). Rows that are all the same show the network sees no difference."""
    plt = _pyplot()
    index = finding.details["layer"] - 1 if "layer" in finding.details else len(view.layers) - 2
    fig, ax = plt.subplots(figsize=(5, 3.2))
    if view.maps is not None and 0 <= index < len(view.maps):
        numbers = view.maps[index].reshape(len(view.maps[index]), -1)
        ax.imshow(numbers, cmap="viridis", aspect="auto", interpolation="nearest")
        ax.set_yticks(range(len(numbers)), [class_label(view.class_names[c]) for c in view.probe_labels], fontsize=6)
    ax.set_xlabel(say("diagnosis.picture.numbers"))
    ax.set_title(say("diagnosis.picture.numbers_title", layer=index + 1,
                     kind=type(view.layers[index]).__name__ if 0 <= index < len(view.layers) else "?"), fontsize=9)
    return _finish(fig, path)


def _one_of_each(labels: np.ndarray) -> list[int]:
    return [int(np.flatnonzero(labels == c)[0]) for c in np.unique(labels)[:2]]


def show_map(ax, grid: np.ndarray, empty: bool) -> None:
    """One feature map; an empty one (one value everywhere) as plain paper, not as black, framed in red."""
    ax.imshow(grid, cmap="gray", **({"vmin": -1, "vmax": 0} if empty else {}))
    if empty:
        for spine in ax.spines.values():
            spine.set_edgecolor("#d62728")
            spine.set_linewidth(3)
        ax.set_xlabel(say("diagnosis.picture.blank"), color="#d62728")


def maps_per_layer(view: RunView, finding: Finding | None = None, path=None):
    """One blij and one verbaasd drawing after each Conv2D and MaxPooling2D layer; empty ones marked."""
    plt = _pyplot()
    columns = [(i, layer) for i, layer in enumerate(view.layers)
               if type(layer).__name__ in SPATIAL_KINDS and view.maps is not None and view.maps[i].ndim == 4]
    drawings = _one_of_each(view.probe_labels)
    fig, axes = plt.subplots(len(drawings), len(columns) + 1, figsize=(max(4.0, 1.3 * (len(columns) + 1)), 1.5 * len(drawings)),
                             squeeze=False)
    for row, d in enumerate(drawings):
        axes[row][0].imshow(view.probe_images[d, :, :, 0], cmap="gray")
        axes[row][0].set_ylabel(class_label(view.class_names[view.probe_labels[d]]))
        for col, (index, layer) in enumerate(columns, start=1):
            maps = view.maps[index][d]
            channel = int(np.argmax(maps.reshape(-1, maps.shape[-1]).std(axis=0)))  # the liveliest channel
            ax = axes[row][col]
            empty = flat(maps[None])[0]
            show_map(ax, maps[:, :, channel], empty)
            if row == 0:
                ax.set_title(f"{index + 1}: {type(layer).__name__}", fontsize=7)
    for ax in np.ravel(axes):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(say("diagnosis.picture.maps_title"), fontsize=9)
    return _finish(fig, path)


def dead_filter(view: RunView, finding: Finding, path=None):
    plt = _pyplot()
    index, channel = finding.details["layer"] - 1, finding.details["dead"][0]
    layer = view.layers[index]
    kernel = np.asarray(layer.get_weights()[0])[:, :, 0, channel]
    fig, (left, right) = plt.subplots(1, 2, figsize=(5, 2.6))
    image = left.imshow(kernel, cmap="coolwarm", vmin=-max(abs(kernel).max(), 1e-6), vmax=max(abs(kernel).max(), 1e-6))
    for (r, c), value in np.ndenumerate(kernel):
        left.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=left, fraction=0.046)
    if view.maps is not None:
        right.imshow(view.maps[index][0, :, :, channel], cmap="gray", vmin=0, vmax=1)
    for ax in (left, right):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(say("diagnosis.picture.filter_title", filter=channel + 1, layer=index + 1), fontsize=9)
    return _finish(fig, path)


def gradients(view: RunView, finding: Finding | None = None, path=None):
    plt = _pyplot()
    s = view.signals
    fig, ax = plt.subplots(figsize=(5, 2.8))
    norms = np.maximum(np.asarray(s.gradient_norms, dtype=float), 1e-12)
    ax.bar(range(1, len(norms) + 1), norms, color=COLOURS.get(finding.code if finding else "", "#4c72b0"))
    ax.set_yscale("log")
    ax.set_xticks(range(1, len(norms) + 1), s.gradient_layers, rotation=45, ha="right", fontsize=7)
    ax.set_title(say("diagnosis.picture.gradients_title"), fontsize=9)
    return _finish(fig, path)


def outputs_before_nan(view: RunView, finding: Finding | None = None, path=None):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 2.8))
    maps = view.maps_before_nan
    if maps is not None:
        outputs = maps[-1].reshape(len(maps[-1]), -1)
        width = 0.8 / outputs.shape[1]
        for c in range(outputs.shape[1]):
            name = class_label(view.class_names[c]) if c < len(view.class_names) else str(c)
            ax.bar(np.arange(len(outputs)) + c * width, outputs[:, c], width, label=name)
        zero = ~(outputs > 0).any(axis=1)
        for d in np.flatnonzero(zero):
            ax.annotate("0/0", (d, 0), ha="left", va="bottom", color="#d62728", fontsize=8)
        ax.legend(fontsize=7)
    ax.set_xlabel(say("diagnosis.picture.drawing"))
    ax.set_title(say("diagnosis.picture.outputs_title"), fontsize=9)
    return _finish(fig, path)


def answers(view: RunView, finding: Finding | None = None, path=None):
    from smiley_checks.training.plots import plot_confusion_matrix

    return plot_confusion_matrix(view.judged_labels, view.judged_answers, view.class_names, path)


def batchnorm(view: RunView, finding: Finding, path=None):
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(4, 2.6))
    values = [finding.details["training_mode"], finding.details["judged"]]
    ax.bar([say("diagnosis.picture.training_mode"), say("diagnosis.picture.judged")], values,
           color=[COLOURS["batchnorm_gap"], "#4c72b0"])
    ax.set_ylim(0, 1)
    ax.set_title(say("diagnosis.picture.batchnorm_title"), fontsize=9)
    return _finish(fig, path)


def curves(view: RunView, finding: Finding | None = None, path=None):
    from smiley_checks.training.plots import plot_curves

    return plot_curves(view.history, path)


def seed_strip(seeds: list[int], main_codes: list[str | None], accuracies: list[float], path=None):
    """One square per try, coloured by its main diagnosis, with its accuracy: why one start learns
    and another does not."""
    from smiley_checks.training.diagnosis.words import short

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(1.1 * len(seeds) + 1.5, 1.6))
    for i, (seed, code, accuracy) in enumerate(zip(seeds, main_codes, accuracies)):
        colour = COLOURS.get(code, NO_FINDING) if code else NO_FINDING
        ax.add_patch(plt.Rectangle((i, 0), 0.9, 0.9, color=colour))
        ax.text(i + 0.45, 0.6, f"{seed}", ha="center", va="center", color="white", fontsize=10, weight="bold")
        ax.text(i + 0.45, 0.3, f"{accuracy:.2f}", ha="center", va="center", color="white", fontsize=8)
    ax.set_xlim(0, len(seeds))
    ax.set_ylim(0, 1)
    ax.axis("off")
    shown = sorted({c for c in main_codes}, key=lambda c: ORDER.index(c) if c else len(ORDER))
    handles = [plt.Rectangle((0, 0), 1, 1, color=COLOURS.get(c, NO_FINDING) if c else NO_FINDING) for c in shown]
    ax.legend(handles, [short(c) for c in shown], loc="upper center", bbox_to_anchor=(0.5, -0.02),
              ncol=max(1, len(shown)), fontsize=7, frameon=False)
    ax.set_title(say("diagnosis.strip_title"), fontsize=9)
    return _finish(fig, path)
