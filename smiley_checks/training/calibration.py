"""Run the lesson's variants over many seeds and report how the protocol judges them.

The report answers a teacher's questions: which changes break the network,
how often each one still learns, and how long a training run takes. It also
checks the protocol's promises: the original passes on at least 99% of seeds,
the no-Conv2D network on at most 1%, and a 5-seed verdict agrees with the
verdict over all seeds.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from smiley_checks.provenance import markdown_line, provenance
from smiley_checks.training.data import training_data
from smiley_checks.training.protocol import GRADING, Protocol
from smiley_checks.training.reliability import DEFAULT_SEEDS, judge
from smiley_checks.training.trainer import FreshCopyTrainer
from smiley_checks.variants import VARIANTS, build_variant


@dataclass
class VariantResult:
    name: str
    description: str
    accuracies: list[float]
    seconds: list[float]
    epochs: list[int]

    def pass_rate(self, protocol: Protocol) -> float:
        return float(np.mean([a >= protocol.pass_accuracy for a in self.accuracies]))

    def verdict(self, protocol: Protocol, seeds: int | None = None) -> str:
        return judge(self.accuracies[:seeds] if seeds else self.accuracies, protocol)


def run_variant(name: str, seeds: int, protocol: Protocol, progress=print) -> VariantResult:
    trainer = FreshCopyTrainer(build_variant(name), protocol, training_data(), judge_on="heldout")
    accuracies, seconds, epochs = [], [], []
    for seed in range(seeds):
        run = trainer.run(seed, verbose=0)
        accuracies.append(round(run.accuracy, 4))
        seconds.append(round(run.seconds, 3))
        epochs.append(run.epochs)
    progress(f"  {name:<16} {seeds} seeds: held-out accuracy {min(accuracies):.2f}..{max(accuracies):.2f}, "
             f"{np.mean(seconds):.1f} s per seed")
    return VariantResult(name, VARIANTS[name][0], accuracies, seconds, epochs)


# Slow to train (no pooling: 2.6 million parameters on full-size feature maps): fewer seeds.
SEED_CAP = {"no_maxpooling": 10}


def calibrate(seeds: int, out: Path, protocol: Protocol = GRADING, many_seeds: int | None = None,
              variants=None, progress=print) -> dict:
    """`seeds` per variant; the original and no-Conv2D get `many_seeds` (for the 99% promises)."""
    started = time.perf_counter()
    results = []
    for name in variants or VARIANTS:
        count = many_seeds if many_seeds and name in ("original", "no_conv2d") else seeds
        count = min(count, SEED_CAP.get(name, count))
        results.append(run_variant(name, count, protocol, progress))
    report = summarise(results, protocol)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["provenance"] = provenance()  # the drawings and packages these figures hold for
    write_report(report, results, out, protocol)
    return report


def summarise(results: list[VariantResult], protocol: Protocol) -> dict:
    rows = []
    for result in results:
        rows.append({
            "variant": result.name,
            "description": result.description,
            "seeds": len(result.accuracies),
            "min": min(result.accuracies),
            "median": float(np.median(result.accuracies)),
            "max": max(result.accuracies),
            "pass_rate": result.pass_rate(protocol),
            "verdict_all_seeds": result.verdict(protocol),
            "verdict_5_seeds": result.verdict(protocol, DEFAULT_SEEDS),
            "seconds_per_seed": round(float(np.mean(result.seconds)), 2),
            "mean_epochs": round(float(np.mean(result.epochs)), 1),
        })
    by_name = {row["variant"]: row for row in rows}
    promises = {}
    if "original" in by_name:
        promises["original passes on >= 99% of seeds"] = by_name["original"]["pass_rate"] >= 0.99
    if "no_conv2d" in by_name:
        promises["no_conv2d passes on <= 1% of seeds"] = by_name["no_conv2d"]["pass_rate"] <= 0.01
    promises["5-seed verdict agrees with the all-seed verdict"] = all(
        row["verdict_all_seeds"] == row["verdict_5_seeds"] for row in rows)
    return {"protocol": protocol.__dict__, "variants": rows, "promises": promises,
            "accuracies": {r.name: r.accuracies for r in results}}


def markdown_table(report: dict) -> str:
    lines = ["| variant | seeds | held-out accuracy min / median / max | passes | verdict (all seeds) | "
             "verdict (5 seeds) | s per seed |",
             "|---|---:|---|---:|---|---|---:|"]
    for row in report["variants"]:
        lines.append(f"| {row['variant']} ({row['description']}) | {row['seeds']} | "
                     f"{row['min']:.2f} / {row['median']:.2f} / {row['max']:.2f} | {row['pass_rate']:.0%} | "
                     f"{row['verdict_all_seeds']} | {row['verdict_5_seeds']} | {row['seconds_per_seed']:.2f} |")
    return "\n".join(lines)


def write_report(report: dict, results: list[VariantResult], out: Path, protocol: Protocol) -> None:
    from smiley_checks.training.plots import _finish, _pyplot

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "calibration.json").write_text(json.dumps(report, indent=2) + "\n")
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2), gridspec_kw={"width_ratios": [3, 2]})
    names = [r.name for r in results]
    left.boxplot([r.accuracies for r in results], orientation="horizontal", tick_labels=names)
    left.axvline(protocol.pass_accuracy, color="green", linestyle="--", label=f"pass ({protocol.pass_accuracy})")
    left.axvline(protocol.chance_accuracy, color="red", linestyle=":", label=f"chance level ({protocol.chance_accuracy})")
    left.set(xlabel="held-out accuracy per seed", title="How well does each variant learn?", xlim=(-0.02, 1.02))
    left.invert_yaxis()
    left.legend(loc="lower left", fontsize=8)
    right.barh(names, [np.mean(r.seconds) for r in results], color="grey")
    right.set(xlabel="seconds per training run", title="Training time")
    right.invert_yaxis()
    _finish(fig, out / "calibration.png")
    plt.close(fig)
    promises = "\n".join(f"- {'yes' if ok else 'NO'}: {text}" for text, ok in report["promises"].items())
    drawings = f"{markdown_line(report['provenance'])}\n\n" if "provenance" in report else ""
    (out / "calibration.md").write_text(
        f"# Calibration of the grading protocol\n\nProtocol: {protocol}\n\n{drawings}{markdown_table(report)}\n\n"
        f"{promises}\n\n![accuracy per variant](calibration.png)\n\nTotal time: {report['seconds']} s\n")
