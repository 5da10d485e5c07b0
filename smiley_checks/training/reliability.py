"""How reliably does an architecture learn? Train it over several seeds and judge.

- reliable:   every seed reaches the pass accuracy on the held-out split
- broken:     no seed is clearly above chance
- unreliable: anything in between ("sometimes it works, sometimes not")
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from smiley_checks.training.data import TrainingData, training_data
from smiley_checks.training.protocol import GRADING, Protocol
from smiley_checks.training.trainer import FreshCopyTrainer

RELIABLE, UNRELIABLE, BROKEN = "reliable", "unreliable", "broken"
DEFAULT_SEEDS = 5


@dataclass
class Verdict:
    verdict: str
    accuracies: list[float]
    seconds_per_seed: list[float]
    seeds: list[int]
    protocol: str
    seconds: float

    def to_json(self) -> dict:
        return asdict(self)


def judge(accuracies: list[float], protocol: Protocol) -> str:
    if all(a >= protocol.pass_accuracy for a in accuracies):
        return RELIABLE
    if all(a < protocol.chance_accuracy for a in accuracies):
        return BROKEN
    return UNRELIABLE


def seed_list(seeds) -> list[int]:
    return list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]


def reliability(submission, seeds=DEFAULT_SEEDS, protocol: Protocol = GRADING,
                data: TrainingData | None = None, verbose=0) -> Verdict:
    """Train fresh copies of a model (or of what a builder returns) for each seed and judge them."""
    from smiley_checks.training.submission_model import trainable_model

    started = time.perf_counter()
    model = trainable_model(submission)
    trainer = FreshCopyTrainer(model, protocol, data or training_data(), judge_on="heldout")
    runs = [trainer.run(seed, verbose=verbose) for seed in seed_list(seeds)]
    accuracies = [round(run.accuracy, 4) for run in runs]
    return Verdict(
        verdict=judge(accuracies, protocol),
        accuracies=accuracies,
        seconds_per_seed=[round(run.seconds, 2) for run in runs],
        seeds=[run.seed for run in runs],
        protocol=protocol.name,
        seconds=round(time.perf_counter() - started, 2),
    )
