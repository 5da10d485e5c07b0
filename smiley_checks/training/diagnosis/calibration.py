"""Choose the doctor's thresholds on half of the labelled runs and measure them on the other half.

The runs (one JSON line per labelled break and seed, with the recorder's signals) are made by
tools/calibrate_diagnoses.py measure; everything here is plain arithmetic on them, so a test
can check that the thresholds that ship are exactly what these runs give.
"""

from __future__ import annotations

import json
from statistics import median
from dataclasses import dataclass
from pathlib import Path

from smiley_checks.training.diagnosis.breaks import BREAKS, by_name
from smiley_checks.training.diagnosis.rules import codes
from smiley_checks.training.diagnosis.signals import Signals

# Candidates per diagnosis, loosest first: they set each threshold's range and direction. The
# threshold is searched on a fine grid over that range; among the points that do equally well, the
# middle of the widest stretch is taken: as far as it can be from the nearest run on either side
# (a decision stump's widest margin), for networks the set does not hold. Until 2026-12-05 it was the
# middle one of these five candidates, which put overfitting's threshold at 0.2 with the nearest
# memorising run of the choosing half at 0.21 and the nearest other run at 0.14 (docs/diagnosis.md).
# A diagnosis that no run of the choosing half should show gets the strictest.
CANDIDATES = {
    "dead_filter": [0.01, 0.25, 0.5, 0.75, 1.0],
    "blank_maps": [0.25, 0.5, 0.75, 0.9, 1.0],
    "vanishing_gradients": [0.1, 0.03, 0.01, 0.001, 0.0001],
    "exploding_gradients": [10.0, 30.0, 100.0, 1000.0, 10000.0],  # the largest kernel gradient
    "one_answer": [0.7, 0.8, 0.9, 0.95, 1.0],
    "classes_alike": [1.2, 1.1, 1.05, 1.02, 1.0],
    "batchnorm_gap": [0.05, 0.1, 0.15, 0.2, 0.3],
    "overfitting": [0.1, 0.15, 0.2, 0.3, 0.4],
    "overconfident": [0.02, 0.05, 0.1, 0.2, 0.3],
}
START = {code: candidates[len(candidates) // 2] for code, candidates in CANDIDATES.items()}
GRID_POINTS = 121


@dataclass
class Run:
    name: str
    seed: int
    accuracy: float
    signals: Signals

    @property
    def half(self) -> str:
        """choose: thresholds are chosen here; report: held back, but seen when labels and rules were
        changed; fresh: measured after the last change, the figures that count."""
        labelled = by_name(self.name)
        if self.seed < labelled.seeds // 2:
            return "choose"
        return "report" if self.seed < labelled.seeds + labelled.seen_fresh_seeds else "fresh"


def read_runs(path: Path) -> list[Run]:
    runs = []
    for line in Path(path).read_text().splitlines():
        if line.strip():
            data = json.loads(line)
            runs.append(Run(data["break"], data["seed"], data["accuracy"], Signals.from_json(data["signals"])))
    return runs


def score(runs: list[Run], code: str, thresholds: dict) -> dict:
    """True alarms, false alarms and misses of one diagnosis over labelled runs."""
    tp = fp = fn = 0
    for run in runs:
        labelled = by_name(run.name)
        fired = code in codes(run.signals, thresholds)
        expected = code in labelled.expected(run.accuracy)
        if fired and expected:
            tp += 1
        elif fired and code not in labelled.fine(run.accuracy):
            fp += 1
        elif expected and not fired:
            fn += 1
    return {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None}


def grid(candidates: list[float], points: int = GRID_POINTS) -> list[float]:
    """Thresholds from the loosest candidate to the strictest, evenly spaced (by ratio for a range over
    one or more powers of ten, like the gradients')."""
    first, last = candidates[0], candidates[-1]
    if max(first, last) / min(first, last) >= 10:
        return [first * (last / first) ** (i / (points - 1)) for i in range(points)]
    return [first + (last - first) * i / (points - 1) for i in range(points)]


def _widest_middle(values: list[float], good: list[bool]) -> float:
    """The middle of the longest run of good grid points, to 3 significant digits."""
    best_start, best_length, start = 0, 0, None
    for index, ok in enumerate(good + [False]):
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = None
    middle = values[best_start + (best_length - 1) // 2] if best_length % 2 else (
        values[best_start + best_length // 2 - 1] + values[best_start + best_length // 2]) / 2
    return float(f"{middle:.3g}")


def choose(runs: list[Run]) -> dict[str, float]:
    """Per diagnosis, the threshold with the best min(precision, recall) on the choosing half, as far
    as it can be from the runs on either side."""
    choosing = [r for r in runs if r.half == "choose"]
    chosen = dict(START)
    for code, candidates in CANDIDATES.items():
        def merit(threshold, code=code):
            s = score(choosing, code, chosen | {code: threshold})
            precision = s["precision"] if s["precision"] is not None else (1.0 if s["fp"] == 0 else 0.0)
            recall = s["recall"] if s["recall"] is not None else 1.0
            return min(precision, recall), precision

        has_cases = any(code in by_name(r.name).expected(r.accuracy) for r in choosing)
        if not has_cases:
            # With no case to catch, the strictest: a diagnosis nothing has shown should fire as little as possible.
            chosen[code] = candidates[-1]
            continue
        values = grid(candidates)
        merits = [merit(t) for t in values]
        chosen[code] = _widest_middle(values, [m == max(merits) for m in merits])
    return chosen


def original_largest_gradient(runs: list[Run]) -> float:
    """The original's largest kernel gradient, median over the choosing half: what "healthy" means."""
    sizes = [max(r.signals.gradient_norms) for r in runs
             if r.name == "original" and r.half == "choose" and r.signals.gradient_norms]
    return round(float(median(sizes)), 1)


def silent_share(runs: list[Run], thresholds: dict, name: str = "original") -> tuple[int, int]:
    """(runs of `name` with no diagnosis at all, runs of `name`)."""
    mine = [r for r in runs if r.name == name]
    return sum(1 for r in mine if not codes(r.signals, thresholds)), len(mine)


def table(runs: list[Run], thresholds: dict, provenance_line: str) -> str:
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    halves = {half: [r for r in runs if r.half == half] for half in ("choose", "report", "fresh")}
    lines = ["# Calibration of the diagnoses", "", provenance_line, "",
             f"{len(runs)} runs of {len(BREAKS)} labelled breaks (smiley_checks/training/diagnosis/breaks.py). "
             "Thresholds were chosen on the first half of each break's first seeds (chosen on). The held-back "
             "seeds (the second half, and the fresh seeds measured before the last change) played no part in "
             "choosing, but were seen when labels and rules were changed (docs/diagnosis.md). The fresh seeds "
             "were measured after the last change: nothing was chosen or changed with them in view, so their "
             "column is the one that counts.", "",
             "| diagnosis | threshold | chosen on: precision / recall (tp, fp, fn) "
             "| held back | fresh |", "|---|---:|---|---|---|"]
    for code in ("nan_loss", *CANDIDATES):
        a, b, c = (score(halves[h], code, thresholds) for h in ("choose", "report", "fresh"))
        threshold = f"{thresholds[code]:g}" if code in thresholds else "none"
        lines.append(f"| {code} | {threshold} | " + " | ".join(
            f"{fmt(x['precision'])} / {fmt(x['recall'])} ({x['tp']}, {x['fp']}, {x['fn']})" for x in (a, b, c)) + " |")
    held_silent, held = silent_share(halves["report"], thresholds)
    fresh_silent, fresh = silent_share(halves["fresh"], thresholds)
    all_silent, total = silent_share(runs, thresholds)
    lines += ["", "nan_loss has no threshold (a loss that is not a number); its figures are on the same runs.", "",
              f"The original network gets no diagnosis at all on {fresh_silent} of {fresh} fresh seeds, "
              f"{held_silent} of {held} held-back seeds and {all_silent} of {total} seeds in all.", "",
              "## Every run: held-out accuracy and the diagnoses (main one first)", "",
              "| break | seed: accuracy diagnoses |", "|---|---|"]
    for labelled in BREAKS:
        cells = [f"{r.seed}: {r.accuracy:.2f} {', '.join(codes(r.signals, thresholds)) or '-'}"
                 for r in sorted((r for r in runs if r.name == labelled.name), key=lambda r: r.seed)]
        lines.append(f"| {labelled.name} ({labelled.about}) | {'; '.join(cells)} |")
    return "\n".join(lines) + "\n"
