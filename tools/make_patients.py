"""Write the evidence of the doctor's task's three networks (grader/smiley_grader/patients.py).

    python tools/make_patients.py          # trains each network once (seed 0, the lesson's way)

Writes smiley_checks/training/patient_data/<letter>.json and original.json: numbers only (curves, confusion matrix,
feature maps of one drawing per class), nothing that names the change. A test trains the networks
again and fails when the shipped evidence is no longer what they give (tests/grader/test_patients_key.py).
About 50 s on a 2-core machine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "grader")]

OUT = ROOT / "smiley_checks" / "training" / "patient_data"


def main() -> None:
    from smiley_checks.quiet import silence_tensorflow

    silence_tensorflow()
    from smiley_grader.patients import PATIENTS, evidence

    OUT.mkdir(parents=True, exist_ok=True)
    # The three networks by letter, and the original to compare with.
    for name, break_name in [*((p.letter, p.break_name) for p in PATIENTS), ("original", "original")]:
        path = OUT / f"{name}.json"
        path.write_text(json.dumps(evidence(break_name), separators=(",", ":")) + "\n")
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
