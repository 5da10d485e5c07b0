"""The doctor's word on a whole verdict: tries grouped by what went wrong, in sentences or one line."""

from __future__ import annotations

from smiley_checks.messages import say
from smiley_checks.training.diagnosis.rules import Finding
from smiley_checks.training.diagnosis.words import sentence, short


def main_codes(findings_per_seed: list[list[dict]]) -> list[str | None]:
    """Each try's main diagnosis (None: nothing found)."""
    return [findings[0]["code"] if findings else None for findings in findings_per_seed]


def main_diagnosis(findings_per_seed: list[list[dict]]) -> str:
    """The verdict's one diagnosis, for the class report: the main diagnosis most tries got ("" when no try
    got one). A tie goes to the one the doctor puts first (rules.ORDER)."""
    from collections import Counter

    from smiley_checks.training.diagnosis.rules import ORDER

    counts = Counter(code for code in main_codes(findings_per_seed) if code)
    return min(counts, key=lambda code: (-counts[code], ORDER.index(code) if code in ORDER else len(ORDER)),
               default="")


def _by(key, verdict) -> dict:
    """The tries grouped by key(a try's findings), in the order they ran."""
    groups: dict = {}
    for seed, findings in zip(verdict.seeds, verdict.findings_per_seed):
        groups.setdefault(key(findings), []).append(seed)
    return groups


def _sentence(findings: list[dict]) -> str:
    return sentence(Finding(findings[0]["code"], findings[0]["details"])) if findings else say("diagnosis.none")


def verdict_diagnosis(verdict) -> str:
    """Several lines for the notebook and the feedback: the title, then each kind of try once."""
    if not getattr(verdict, "findings_per_seed", None):
        return ""
    lines = [say("diagnosis.title")]
    for text, seeds in _by(_sentence, verdict).items():
        lines.append(say("diagnosis.per_try", seed=", ".join(str(s) for s in seeds), text=text))
    lines.append(say("diagnosis.not_a_grade"))
    return "\n".join(lines)


def verdict_diagnosis_line(verdict) -> str:
    """One line for the class report: 'always one answer (0, 2); nothing found (1, 3, 4)'."""
    if not getattr(verdict, "findings_per_seed", None):
        return ""
    # By diagnosis, not by sentence: two NaNs at different steps are one kind of try here.
    by_code = _by(lambda findings: main_codes([findings])[0], verdict)
    return "; ".join(f"{short(code)} ({', '.join(str(s) for s in seeds)})" for code, seeds in by_code.items())


def verdict_strip_png(verdict) -> str:
    """The seed strip as a base64 PNG, for the feedback ("" without the doctor's findings)."""
    if not getattr(verdict, "findings_per_seed", None):
        return ""
    from smiley_checks.training.diagnosis.pictures import png_base64, seed_strip

    return png_base64(seed_strip(verdict.seeds, main_codes(verdict.findings_per_seed), verdict.accuracies))
