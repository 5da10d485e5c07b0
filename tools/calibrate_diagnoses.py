"""Calibrate the doctor's thresholds on the labelled breaks, and report how well each diagnosis does.

    python tools/calibrate_diagnoses.py measure   # train every labelled break over its seeds
    python tools/calibrate_diagnoses.py choose    # thresholds from the first half of the seeds, figures from the rest

`measure` appends one JSON line per run to docs/diagnosis/runs.jsonl (a rerun skips runs already
there, so it can be stopped and resumed; `--only` measures some breaks, in the order given).
`choose` writes smiley_checks/training/diagnosis/thresholds.json and docs/calibration/diagnosis.md.
On 2026-12-04 `measure` took about 45 min on a 2-core machine shared with other work.
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
TABLE = ROOT / "docs" / "calibration" / "diagnosis.md"


def measure(only: list[str] | None) -> None:
    from smiley_checks.quiet import silence_tensorflow

    silence_tensorflow()
    from smiley_checks.keras_env import keras
    from smiley_checks.training.data import training_data
    from smiley_checks.training.diagnosis.breaks import BREAKS, by_name
    from smiley_checks.training.trainer import FreshCopyTrainer

    RUNS.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if RUNS.exists():
        done = {(r["break"], r["seed"]) for r in map(json.loads, RUNS.read_text().splitlines()) if r}
    data = training_data()
    for labelled in ([by_name(name) for name in only] if only else BREAKS):  # in the order asked for
        todo = [seed for seed in range(labelled.seeds + labelled.fresh_seeds) if (labelled.name, seed) not in done]
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


def choose() -> None:
    from smiley_checks.provenance import markdown_line, provenance
    from smiley_checks.training.diagnosis.calibration import (choose as choose_thresholds,
                                                               original_largest_gradient, read_runs, table)

    runs = read_runs(RUNS)
    thresholds = choose_thresholds(runs)
    record = provenance()
    THRESHOLDS.write_text(json.dumps({
        "note": "written by tools/calibrate_diagnoses.py choose from docs/diagnosis/runs.jsonl; "
                "see docs/diagnosis.md", "runs": len(runs), "thresholds": thresholds,
        "original_largest_gradient": original_largest_gradient(runs), "provenance": record},
        indent=1) + "\n")
    text = table(runs, thresholds, markdown_line(record))
    TABLE.write_text(text)
    print(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("measure", "choose"))
    parser.add_argument("--only", nargs="*", help="measure only these breaks, in this order")
    args = parser.parse_args()
    if args.step == "measure":
        measure(args.only)
    else:
        choose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
