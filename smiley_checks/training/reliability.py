"""How reliably does an architecture learn? Train it over several seeds and judge.

- reliable:   every seed reaches the pass accuracy on the held-out split
- broken:     no seed is clearly above chance
- unreliable: anything in between ("sometimes it works, sometimes not")

With a `cache` (verdict_cache.VerdictCache, held only by the grader's judges) a seed
that another student's identical network already trained is not trained again.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

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
    reused: int = 0  # seeds taken from the grading run's cache
    epochs_per_seed: list[int] = field(default_factory=list)  # epochs each seed trained (the protocol stops early)
    # The doctor's findings per seed ({"code", "details"} dicts, main one first); empty without diagnose.
    findings_per_seed: list[list[dict]] = field(default_factory=list)
    # With pictures: the doctor's picture (a base64 PNG) of the first try with each main diagnosis.
    pictures: dict[str, str] = field(default_factory=dict)

    def _ipython_display_(self):
        """As a cell's last line, show nothing more: show_verdict already said it in words."""

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
                data: TrainingData | None = None, verbose=0, cache=None, diagnose: bool = False,
                thresholds: dict | None = None, pictures: bool = False) -> Verdict:
    """Train fresh copies of a model (or of what a builder returns) for each seed and judge them.
    `diagnose`: the doctor watches each seed's training too (diagnosis/), with `thresholds`
    (None: the calibrated ones); `pictures` (with diagnose): it also draws the picture of each main
    diagnosis once, while that try's network is still there (the cache keeps it beside the seed)."""
    from smiley_checks.training.submission_model import trainable_model

    started = time.perf_counter()
    model = trainable_model(submission)
    data = data or training_data()
    trainer = None
    runs, reused = [], 0
    findings: list[list[dict]] = []
    drawn: dict[str, str] = {}
    pictures = pictures and diagnose
    numbers = seed_list(seeds)
    keys = {}
    if cache is not None:
        from smiley_checks.training.cache_key import seed_keys

        keys = seed_keys(model, protocol, numbers, data)
    for seed in numbers:
        material = keys.get(seed)
        if material is not None:
            found = cache.obtain(material)
            if found is not None:
                runs.append((seed, found.accuracy, found.seconds, found.epochs))
                findings.append([dict(f) for f in found.findings])
                reused += 1
                code = found.findings[0]["code"] if found.findings else None
                if pictures and code and code not in drawn:
                    png = cache.get_picture(material)
                    if png:
                        drawn[code] = png
                continue
        try:
            # Built only when a seed must really be trained: compiling costs about 2 s.
            trainer = trainer or FreshCopyTrainer(model, protocol, data, judge_on="heldout", diagnose=diagnose)
            run = trainer.run(seed, verbose=verbose)
            found_here = finding_dicts(run.signals, thresholds) if run.signals is not None else []
            # Only the first try with each main diagnosis is drawn (about 0.3 s a picture); a classmate's
            # identical network tries the same seeds in the same order, so its cache hits find that one.
            new_code = pictures and found_here and found_here[0]["code"] not in drawn
            png = _picture(trainer, run, found_here, data) if new_code else ""
            if png:
                drawn[found_here[0]["code"]] = png
            if material is not None:
                from smiley_checks.training.verdict_cache import SeedResult

                if png:  # first, so that a judge waiting for this seed finds its picture too
                    cache.put_picture(material, png)
                cache.put(material, SeedResult(run.accuracy, round(run.seconds, 2), run.epochs, tuple(found_here)))
        finally:
            if material is not None:
                cache.release(material)
        runs.append((seed, run.accuracy, run.seconds, run.epochs))
        findings.append(found_here)
    accuracies = [round(accuracy, 4) for _, accuracy, _, _ in runs]
    return Verdict(
        verdict=judge(accuracies, protocol),
        accuracies=accuracies,
        seconds_per_seed=[round(seconds, 2) for _, _, seconds, _ in runs],
        seeds=[seed for seed, _, _, _ in runs],
        protocol=protocol.name,
        seconds=round(time.perf_counter() - started, 2),
        reused=reused,
        epochs_per_seed=[epochs for _, _, _, epochs in runs],
        findings_per_seed=findings if diagnose else [],
        pictures=drawn,
    )


def _picture(trainer, run, found: list[dict], data) -> str:
    """The picture of this try's main diagnosis, as a base64 PNG ("" when it cannot be drawn: a picture
    never costs a student a verdict)."""
    from smiley_checks.training.diagnosis.pictures import RunView, picture, png_base64
    from smiley_checks.training.diagnosis.rules import Finding

    try:
        return png_base64(picture(Finding(found[0]["code"], found[0]["details"]),
                                  RunView.of(trainer, run, data.class_names)))
    except Exception:
        return ""


def finding_dicts(signals, thresholds: dict | None = None) -> list[dict]:
    from smiley_checks.training.diagnosis.rules import diagnose as doctor

    return [{"code": f.code, "details": f.details} for f in doctor(signals, thresholds)]
