"""What the network's doctor costs: 5-seed verdicts with and without it, side by side in one process.

Each model's verdict is made twice in a row in each round, the order alternating between rounds, so
that a busy machine slows both alike. The goal (issue 22): at most 10 % more than a verdict without it.
"""

from __future__ import annotations

import json
import time

MODELS = ("original", "no_batchnorm", "no_conv2d", "final_relu")
SEEDS = 5
ROUNDS = 2


def verdict_seconds(name: str, diagnose: bool) -> float:
    from smiley_checks.training.reliability import reliability
    from smiley_checks.variants import build_variant

    started = time.perf_counter()
    reliability(lambda: build_variant(name), seeds=SEEDS, diagnose=diagnose)
    return time.perf_counter() - started


def main() -> None:
    from smiley_checks.keras_env import keras  # noqa: F401  (import once, outside the timings)

    verdict_seconds("original", True)  # warm-up: the first verdict of a process traces more
    totals = {False: 0.0, True: 0.0}
    for round_ in range(ROUNDS):
        for name in MODELS:
            order = (False, True) if round_ % 2 == 0 else (True, False)
            seconds = {diagnose: verdict_seconds(name, diagnose) for diagnose in order}
            for diagnose, value in seconds.items():
                totals[diagnose] += value
            print(f"round {round_ + 1} {name:<13} without {seconds[False]:6.1f} s  with doctor {seconds[True]:6.1f} s",
                  flush=True)
    extra = totals[True] / totals[False] - 1
    print(f"diagnosis cost: +{100 * extra:.1f} % ({totals[True]:.1f} s with the doctor vs {totals[False]:.1f} s "
          f"without, {len(MODELS)} models x {SEEDS} seeds x {ROUNDS} rounds; goal at most +10 %)")
    print(json.dumps({"diagnosis_extra": round(extra, 3)}))


if __name__ == "__main__":
    main()
