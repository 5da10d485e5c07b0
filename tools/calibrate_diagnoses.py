"""Calibrate the doctor's thresholds on the labelled breaks, and report how well each diagnosis does.

    python tools/calibrate_diagnoses.py measure   # train every labelled break over its seeds (~30 min)
    python tools/calibrate_diagnoses.py choose    # thresholds from the first half of the seeds, figures from the rest

`measure` appends one JSON line per run to docs/diagnosis/runs.jsonl (a rerun skips runs already
there, so it can be stopped and resumed). `choose` writes smiley_checks/training/diagnosis/
thresholds.json and docs/diagnosis/calibration.md (the table docs/diagnosis.md explains).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = ROOT / "docs" / "diagnosis" / "runs.jsonl"
THRESHOLDS = ROOT / "smiley_checks" / "training" / "diagnosis" / "thresholds.json"
TABLE = ROOT / "docs" / "diagnosis" / "calibration.md"

# Candidates per diagnosis, strictest last: a tie goes to the stricter one (fewer false alarms on
# networks the set does not hold).
CANDIDATES = {
    "dead_filter": [0.01, 0.25, 0.5, 0.75, 1.0],
    "blank_maps": [0.25, 0.5, 0.75, 0.9, 1.0],
    "vanishing_gradients": [0.1, 0.03, 0.01, 0.001, 0.0001],
    "exploding_gradients": [10.0, 30.0, 100.0, 1000.0, 10000.0],
    "one_answer": [0.7, 0.8, 0.9, 0.95, 1.0],
    "classes_alike": [1.2, 1.1, 1.05, 1.02, 1.0],
    "batchnorm_gap": [0.05, 0.1, 0.15, 0.2, 0.3],
    "overfitting": [0.1, 0.15, 0.2, 0.3, 0.4],
    "overconfident": [0.02, 0.05, 0.1, 0.2, 0.3],
}


def measure(only: list[str] | None) -> None:
    from smiley_checks.quiet import silence_tensorflow

    silence_tensorflow()
    from smiley_checks.keras_env import keras
    from smiley_checks.training.data import training_data
    from smiley_checks.training.diagnosis.breaks import BREAKS
    from smiley_checks.training.trainer import FreshCopyTrainer

    RUNS.parent.mkdir(parents=True, exist_ok=True)
    done = {(r["break"], r["seed"]) for r in read_runs()}
    data = training_data()
    for labelled in BREAKS:
        if only and labelled.name not in only:
            continue
        todo = [seed for seed in range(labelled.seeds) if (labelled.name, seed) not in done]
        if not todo:
            continue
        trainer = FreshCopyTrainer(labelled.build(keras), labelled.protocol, data, judge_on="heldout", diagnose=True)
        for seed in todo:
            run = trainer.run(seed, verbose=0)
            line = {"break": labelled.name, "seed": seed, "accuracy": round(run.accuracy, 4), "epochs": run.epochs,
                    "seconds": round(run.seconds, 2), "signals": run.signals.to_json()}
            with RUNS.open("a") as out:
                out.write(json.dumps(line) + "\n")
            print(f"{labelled.name} seed {seed}: {run.accuracy:.2f} in {run.seconds:.1f} s", flush=True)


def read_runs() -> list[dict]:
    if not RUNS.exists():
        return []
    return [json.loads(line) for line in RUNS.read_text().splitlines() if line.strip()]


def fires(code: str, signals, threshold: float, base: dict) -> bool:
    from smiley_checks.training.diagnosis.rules import codes

    return code in codes(signals, base | {code: threshold})


def score(runs, code: str, threshold: float, base: dict) -> dict:
    """True and false alarms of one diagnosis at one threshold over labelled runs."""
    from smiley_checks.training.diagnosis.breaks import by_name

    tp = fp = fn = 0
    for run in runs:
        labelled = by_name(run["break"])
        fired = fires(code, run["parsed"], threshold, base)
        expected = code in labelled.expected(run["accuracy"])
        fine = code in labelled.fine(run["accuracy"])
        if fired and expected:
            tp += 1
        elif fired and not fine:
            fp += 1
        elif expected and not fired:
            fn += 1
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None}


def choose() -> None:
    from smiley_checks.training.diagnosis.breaks import BREAKS, by_name
    from smiley_checks.training.diagnosis.rules import codes
    from smiley_checks.training.diagnosis.signals import Signals

    runs = read_runs()
    for run in runs:
        run["parsed"] = Signals.from_json(run["signals"])
    halves = {"choose": [], "report": []}
    for run in runs:
        seeds = by_name(run["break"]).seeds
        halves["choose" if run["seed"] < seeds // 2 else "report"].append(run)
    base = json.loads(THRESHOLDS.read_text())["thresholds"]
    chosen = dict(base)
    for code, candidates in CANDIDATES.items():
        def merit(threshold):
            s = score(halves["choose"], code, threshold, chosen)
            precision = s["precision"] if s["precision"] is not None else (1.0 if s["fp"] == 0 else 0.0)
            recall = s["recall"] if s["recall"] is not None else 1.0
            return min(precision, recall), precision
        best = max(reversed(candidates), key=merit)  # reversed: max keeps the first best, the strictest
        chosen[code] = best
    rows = []
    for code in CANDIDATES:
        picked = score(halves["choose"], code, chosen[code], chosen)
        held = score(halves["report"], code, chosen[code], chosen)
        rows.append((code, chosen[code], picked, held))
    original = [r for r in runs if r["break"] == "original"]
    quiet_original = {half: [r for r in halves[half] if r["break"] == "original"] for half in halves}
    silent = {half: sum(1 for r in quiet_original[half] if not codes(r["parsed"], chosen)) for half in halves}
    THRESHOLDS.write_text(json.dumps({
        "note": "written by tools/calibrate_diagnoses.py choose; see docs/diagnosis.md",
        "runs": len(runs), "thresholds": chosen}, indent=1) + "\n")
    lines = ["# Calibration of the diagnoses", "",
             f"{len(runs)} runs of {len(BREAKS)} labelled breaks (smiley_checks/training/diagnosis/breaks.py). "
             "Thresholds chosen on the first half of each break's seeds, figures reported on the second half.", "",
             "| diagnosis | threshold | chosen on: precision / recall (tp, fp, fn) | held back: precision / recall (tp, fp, fn) |",
             "|---|---:|---|---|"]
    fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
    for code, threshold, picked, held in rows:
        lines.append(f"| {code} | {threshold:g} | {fmt(picked['precision'])} / {fmt(picked['recall'])} "
                     f"({picked['tp']}, {picked['fp']}, {picked['fn']}) | {fmt(held['precision'])} / "
                     f"{fmt(held['recall'])} ({held['tp']}, {held['fp']}, {held['fn']}) |")
    lines += ["", f"Original network, no diagnosis: {silent['choose']} of {len(quiet_original['choose'])} seeds "
              f"(choosing half), {silent['report']} of {len(quiet_original['report'])} (held back); "
              f"{silent['choose'] + silent['report']} of {len(original)} in all.", "",
              "## Per break (all seeds): accuracy band and main diagnosis", "",
              "| break | seed: accuracy main diagnosis (all diagnoses) |", "|---|---|"]
    for labelled in BREAKS:
        cells = []
        for r in sorted((r for r in runs if r["break"] == labelled.name), key=lambda r: r["seed"]):
            found = codes(r["parsed"], chosen)
            cells.append(f"{r['seed']}: {r['accuracy']:.2f} {found[0] if found else '-'}"
                         + (f" ({', '.join(found)})" if len(found) > 1 else ""))
        lines.append(f"| {labelled.name} | {'; '.join(cells)} |")
    TABLE.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("measure", "choose"))
    parser.add_argument("--only", nargs="*", help="measure only these breaks")
    args = parser.parse_args()
    if args.step == "measure":
        measure(args.only)
    else:
        choose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
