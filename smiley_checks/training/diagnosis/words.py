"""One sentence per diagnosis, for a 14-year-old, in the notebook's language (catalogue diagnosis.json)."""

from __future__ import annotations

from smiley_checks.messages import decimal, say, whole
from smiley_checks.training.diagnosis.rules import Finding, original_largest_gradient


def _percent(share: float | None) -> str:
    return f"{round(100 * (share or 0.0))}%"


def _amount(value: float) -> str:
    return whole(value) if value >= 10 else decimal(value, 1)


def _times(ratio: float) -> str:
    return _amount(1 / ratio if ratio < 1 else ratio)


def sentence(finding: Finding) -> str:
    from smiley_checks.training.plots import class_label

    d = finding.details
    code = finding.code
    if code == "nan_loss":
        return say("diagnosis.nan_loss", step=d.get("step"))
    if code == "dead_filter":
        # The kind, not the layer's name: Keras numbers names by how many layers a process made before.
        return say("diagnosis.dead_filter", layer=d["layer"], name="Conv2D", dead=len(d["dead"]),
                   channels=d["channels"])
    if code == "blank_maps":
        if d["kind"] in ("Dense", "Flatten"):
            return say("diagnosis.blank_numbers", layer=d["layer"], kind=d["kind"], percent=_percent(d["share"]))
        return say("diagnosis.blank_maps", layer=d["layer"], kind=d["kind"], percent=_percent(d["share"]))
    if code == "vanishing_gradients":
        return say("diagnosis.vanishing_gradients", ratio=_times(d["ratio"]))
    if code == "exploding_gradients":
        return say("diagnosis.exploding_gradients", size=_amount(d["size"]),
                   healthy=decimal(original_largest_gradient(), 0))
    if code == "one_answer":
        names = ("happy", "surprised")
        answer = names[d["answer"]] if d["answer"] < len(names) else str(d["answer"])
        return say("diagnosis.one_answer", answer=class_label(answer), percent=_percent(d["share"]))
    if code == "batchnorm_gap":
        return say("diagnosis.batchnorm_gap", training=decimal(d["training_mode"]), judged=decimal(d["judged"]))
    if code == "overfitting":
        return say("diagnosis.overfitting", train=decimal(d["train"]), judged=decimal(d["judged"]))
    if code == "overconfident":
        return say("diagnosis.overconfident", percent=_percent(d["share"]))
    return say(f"diagnosis.{code}")


def short(code: str | None) -> str:
    return say(f"diagnosis.short.{code or 'none'}")


def explanation(findings: list[Finding]) -> str:
    """The main diagnosis in one sentence (the others follow from it), or 'nothing found'."""
    if not findings:
        return say("diagnosis.none")
    return sentence(findings[0])
