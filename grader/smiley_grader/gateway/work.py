"""The one function the gateway's workers run: a verdict for a checked network.

It is called with plain data only (the checked JSON, a number of seeds, the cache's handover),
never with anything a kernel made: no pickled object of a student's reaches a worker.
"""

from __future__ import annotations


def verdict_for(model_json: str, seeds: int, cache_handover: dict, lang: str = "en") -> dict:
    """The verdict as show_verdict makes it (the grading protocol, the doctor, its picture), as JSON data;
    {"refused": sentence} for a network that cannot be trained. Sentences and pictures in `lang`."""
    from smiley_checks.messages import set_language
    from smiley_checks.quiet import silence_tensorflow

    silence_tensorflow()
    set_language(lang)  # a worker runs one job at a time (one thread)
    from smiley_checks.tasks.records import quiet
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.inspection.config_allowlist import NotAllowed
    from smiley_checks.messages import say
    from smiley_checks.tasks.break_model import ModelTask
    from smiley_checks.training.reliability import reliability
    from smiley_checks.training.verdict_cache import VerdictCache

    try:
        model = ModelTask.rebuild({"model": model_json})  # the judge's rebuild: checked again, the worker trusts no caller
    except NotAllowed as error:
        return {"refused": str(error)}
    except Exception:
        return {"refused": say("assign.model.not_rebuilt")}
    try:
        with quiet():
            verdict = reliability(model, seeds=seeds, cache=VerdictCache.from_handover(cache_handover),
                                  diagnose=True, pictures=True)
    except SmileyChecksError as error:  # too big, no output of two classes, ...: the student's sentence
        return {"refused": str(error)}
    return {"verdict": verdict.to_json()}
