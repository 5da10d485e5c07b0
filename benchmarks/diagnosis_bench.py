"""What the network's doctor costs: 5-seed verdicts with and without it, side by side in one process.

Each model's verdict is made twice in a row in each round, the order alternating between rounds, so
that a busy machine slows both alike. The goal (issue 22): at most 10 % more than a verdict without it.
"""

from __future__ import annotations

import json
import time

MODELS = ("original", "no_batchnorm", "no_conv2d", "final_relu")
SEEDS = 5
ROUNDS = 3


def verdict_seconds(name: str, diagnose: bool) -> float:
    from smiley_checks.training.reliability import reliability
    from smiley_checks.variants import build_variant

    started = time.perf_counter()
    # With the doctor as the judge runs it: the diagnosis and the picture of each main diagnosis.
    reliability(lambda: build_variant(name), seeds=SEEDS, diagnose=diagnose, pictures=diagnose)
    return time.perf_counter() - started


def main() -> None:
    from smiley_checks.keras_env import keras  # noqa: F401  (import once, outside the timings)

    verdict_seconds("original", True)  # warm-up: the first verdict of a process traces more
    times: dict[tuple[str, bool], list[float]] = {}
    for round_ in range(ROUNDS):
        for name in MODELS:
            order = (False, True) if round_ % 2 == 0 else (True, False)
            seconds = {diagnose: verdict_seconds(name, diagnose) for diagnose in order}
            for diagnose, value in seconds.items():
                times.setdefault((name, diagnose), []).append(value)
            print(f"round {round_ + 1} {name:<13} without {seconds[False]:6.1f} s  with doctor {seconds[True]:6.1f} s",
                  flush=True)
    # Each verdict's fastest round: a stall of the machine (one verdict once took 63 s instead of 27 s
    # on 2026-12-05) slows one verdict of one round, not that verdict in every round.
    best = {diagnose: sum(min(times[(name, diagnose)]) for name in MODELS) for diagnose in (False, True)}
    extra = best[True] / best[False] - 1
    print(f"diagnosis cost: +{100 * extra:.1f} % ({best[True]:.1f} s with the doctor vs {best[False]:.1f} s "
          f"without, the fastest of {ROUNDS} rounds of {len(MODELS)} models x {SEEDS} seeds; goal at most +10 %)")
    print(json.dumps({"diagnosis_extra": round(extra, 3)}))


if __name__ == "__main__":
    main()
