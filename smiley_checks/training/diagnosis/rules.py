"""The diagnoses: each one rule on a run's signals, with a threshold calibrated on this lesson.

The thresholds live in thresholds.json, written by tools/calibrate_diagnoses.py from the
labelled breaks (breaks.py); docs/diagnosis.md gives each one's precision, recall and reason.
Only the first diagnosis in ORDER is the run's main one: a NaN explains everything after it,
a dead first filter explains the blank maps, blank maps explain why it always says blij.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from smiley_checks.training.diagnosis.signals import Signals

ORDER = ("nan_loss", "dead_filter", "blank_maps", "vanishing_gradients", "exploding_gradients", "one_answer",
         "classes_alike", "batchnorm_gap", "overfitting", "overconfident")


@dataclass(frozen=True)
class Finding:
    code: str
    details: dict = field(default_factory=dict)  # what the sentence and the picture name (layer, share, ...)


@lru_cache(maxsize=1)
def _calibration() -> dict:
    return json.loads(resources.files(__package__).joinpath("thresholds.json").read_text())


def calibrated_thresholds() -> dict[str, float]:
    return dict(_calibration()["thresholds"])


def original_largest_gradient() -> float:
    """The largest gradient of the lesson's network, typically (the median over its calibration runs)."""
    return float(_calibration()["original_largest_gradient"])


def diagnose(signals: Signals, thresholds: dict[str, float] | None = None) -> list[Finding]:
    """Every diagnosis whose rule holds, the main one first (ORDER)."""
    t = thresholds if thresholds is not None else calibrated_thresholds()
    found: list[Finding] = []
    if signals.nan_step is not None:
        # Nothing measured after the blow-up means anything: the NaN is the whole story.
        return [Finding("nan_loss", {"step": signals.nan_step, "epoch": signals.nan_epoch,
                                     "zero_share": signals.zero_output_share})]
    layers = signals.layers
    hidden = layers[:-1]  # the output layer's own maps are the answers, judged by one_answer
    # "layer" in a finding counts from 1, as a student counts the lines of her layer list.
    for index, layer in enumerate(hidden):
        if layer.kind == "Conv2D" and layer.channels and len(layer.dead) / layer.channels >= t["dead_filter"]:
            found.append(Finding("dead_filter", {"layer": index + 1, "name": layer.name,
                                                 "dead": list(layer.dead), "channels": layer.channels}))
            break
    for index, layer in enumerate(hidden):
        if layer.blank_share >= t["blank_maps"]:
            found.append(Finding("blank_maps", {"layer": index + 1, "name": layer.name,
                                                "kind": layer.kind, "share": layer.blank_share}))
            break
    ratio = signals.gradient_ratio
    if ratio is not None and ratio <= t["vanishing_gradients"]:
        found.append(Finding("vanishing_gradients", {"ratio": ratio}))
    # Exploding: how big the learning signal is, not how it changes from layer to layer. In this network
    # the signal grows huge in every layer at once (drawings 255 times too bright, start weights too wide),
    # so the first-to-last ratio stays near 1 (measured 2026-12-05, docs/diagnosis.md).
    largest = max(signals.gradient_norms) if signals.gradient_norms else None
    if largest is not None and largest >= t["exploding_gradients"]:
        found.append(Finding("exploding_gradients", {"size": largest}))
    if signals.majority_share >= t["one_answer"]:
        found.append(Finding("one_answer", {"share": signals.majority_share, "answer": signals.majority_class}))
    if hidden and hidden[-1].separation is not None and hidden[-1].separation <= t["classes_alike"]:
        found.append(Finding("classes_alike", {"separation": hidden[-1].separation}))
    if (signals.train_mode_accuracy is not None and signals.judged_accuracy is not None
            and abs(signals.train_mode_accuracy - signals.judged_accuracy) >= t["batchnorm_gap"]):
        found.append(Finding("batchnorm_gap", {"training_mode": signals.train_mode_accuracy,
                                               "judged": signals.judged_accuracy}))
    if signals.train_accuracy is not None and signals.judged_accuracy is not None:
        # When the doctor blames BatchNormalization's two modes, the new drawings its training mode gets right
        # were learned, not memorised: measure the memorising against that mode.
        gap_told = any(f.code == "batchnorm_gap" for f in found)
        learned = signals.train_mode_accuracy if gap_told else signals.judged_accuracy
        if signals.train_accuracy - learned >= t["overfitting"]:
            found.append(Finding("overfitting", {"train": signals.train_accuracy, "judged": signals.judged_accuracy}))
    if signals.sure_and_wrong_share >= t["overconfident"]:
        found.append(Finding("overconfident", {"share": signals.sure_and_wrong_share}))
    return sorted(found, key=lambda f: ORDER.index(f.code))


def codes(signals: Signals, thresholds: dict[str, float] | None = None) -> list[str]:
    return [finding.code for finding in diagnose(signals, thresholds)]
