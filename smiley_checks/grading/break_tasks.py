"""The `break_the_model` assignment: networks judged on their layers, then trained.

Structure decides the points of "remove all BatchNormalization", "remove all Conv2D"
and "only Dense layers": the student's job there is to build the network and observe,
so their training verdict is shown, not graded. "Break it with as small a change as
possible" needs both: at most two layer edits (smiley_checks.checks) and a verdict
that is not "reliable" (smiley_checks.training.reliability, the calibrated protocol).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from smiley_checks.grading.records import failed, is_unanswered, passed, plain, quiet
from smiley_checks.messages import say

ASSIGNMENT = "break_the_model"
SHOW, NOT_RELIABLE = "show", "not_reliable"


def _problem(name: str):
    from smiley_checks.checks import tasks

    return tasks.TASKS[name]


def verdict_text(verdict) -> str:
    from smiley_checks.training.blowup import accuracy_words

    accuracies = ", ".join(accuracy_words(a) for a in verdict.accuracies)
    # The seeds' training time, not this call's: a verdict from the class run's cache then reads
    # the same as the one trained for a classmate's identical network.
    seconds = sum(verdict.seconds_per_seed)
    return " ".join((
        say(f"verdict.{verdict.verdict}", seeds=len(verdict.seeds), seconds=f"{seconds:.0f}"),
        say("assign.verdict.accuracies", accuracies=accuracies),
    ))


@dataclass(frozen=True)
class ModelTask:
    name: str  # grade_id of its hidden test cell
    builder: str  # the function the student writes in the notebook
    problem: str  # the smiley_checks.checks task that judges the structure
    verdict: str  # SHOW: train and show the verdict; NOT_RELIABLE: the verdict must not be reliable
    assignment: str = ASSIGNMENT
    needs_keras: bool = True

    def export(self, builder, public: bool = False) -> dict:
        """Build the student's network once and keep its Keras config (no weights)."""
        from smiley_checks.errors import SmileyChecksError
        from smiley_checks.inspection.submission import NothingHandedIn, accept

        record = {"task": self.name}
        if is_unanswered(builder):
            return record | {"not_attempted": True}
        try:
            with quiet():
                model = accept(builder, name=self.builder)
        except NothingHandedIn:
            return record | {"not_attempted": True}
        except SmileyChecksError as error:
            return record | {"error": str(error)}
        except Exception as error:  # a very odd object: still one sentence
            from smiley_checks.grading.records import one_line

            return record | {"error": say("check.crashed", error_type=type(error).__name__, error=one_line(error))}
        try:
            record["model"] = model.to_json()
        except Exception:
            return record | {"error": say("assign.model.not_saved")}
        try:
            compile_config = model.get_compile_config() if getattr(model, "compiled", False) else None
            record["compile"] = compile_config if compile_config and json.dumps(compile_config) else None
        except Exception:  # an optimizer or loss Keras cannot write down: train with the lesson's
            record["compile"] = None
        return record

    def rebuild(self, record: dict):
        """The network again, from its Keras config only: no student code runs here."""
        from smiley_checks.keras_env import keras

        with quiet():
            model = keras.models.model_from_json(record["model"])  # safe mode: no lambdas
            if record.get("compile"):
                try:
                    model.compile_from_config(record["compile"])
                except Exception:
                    pass  # trained with the lesson's optimizer and loss instead
        return model

    def judge(self, record: dict, *, train: bool = True, keras_reference: bool = False, public: bool = False,
              cache=None):
        """`cache`: the grading run's VerdictCache; only the judge outside the kernel has one."""
        if record.get("not_attempted"):
            return failed(say("check.not_attempted", name=self.builder))
        if "error" in record:
            return failed(str(record["error"]))
        if not isinstance(record.get("model"), str):
            return failed(say("assign.record_mismatch"))
        try:
            model = self.rebuild(record)
        except Exception:
            return failed(say("assign.model.not_rebuilt"))
        return replace(self._judge_model(model, train, cache), changes=what_changed(model))

    def _judge_model(self, model, train: bool, cache):
        from smiley_checks.checks.problem import CORRECT

        structure = _problem(self.problem).grade(model)
        if structure.status != CORRECT:
            return failed(structure.message)
        if not train:
            return passed()
        from smiley_checks.errors import SmileyChecksError
        from smiley_checks.training.reliability import RELIABLE, reliability

        try:
            verdict = reliability(model, cache=cache)
        except SmileyChecksError as error:
            return failed(str(error)) if self.verdict == NOT_RELIABLE else passed(str(error))
        shown = verdict_text(verdict)
        if self.verdict == NOT_RELIABLE and verdict.verdict == RELIABLE:
            return failed(say("assign.smallest_break.still_reliable"), shown)
        return passed(shown)


def what_changed(model) -> str:
    """For the class report only: never let describing the change cost a student points."""
    from smiley_checks.inspection.change_summary import what_changed as summary

    try:
        return summary(model)
    except Exception:
        return ""


@dataclass(frozen=True)
class ValueTask:
    """An answer that is a value, e.g. a set of layer names."""

    name: str
    variable: str
    problem: str
    assignment: str = ASSIGNMENT
    needs_keras: bool = False

    def export(self, answer, public: bool = False) -> dict:
        record = {"task": self.name}
        if is_unanswered(answer):
            return record | {"not_attempted": True}
        return record | {"value": plain(answer)}

    def judge(self, record: dict, *, train: bool = True, keras_reference: bool = False, public: bool = False):
        from smiley_checks.checks.problem import CORRECT

        if record.get("not_attempted"):
            return failed(say("check.not_attempted", name=self.variable))
        value = record.get("value")
        if isinstance(value, dict) and isinstance(value.get("set"), list):
            value = set(v for v in value["set"] if isinstance(v, str)) if all(
                isinstance(v, str) for v in value["set"]) else value
        verdict = _problem(self.problem).grade(value)
        return passed() if verdict.status == CORRECT else failed(verdict.message)


NO_BATCHNORM = ModelTask("no_batchnorm", "build_no_batchnorm", "remove_all_batchnorm", SHOW)
NO_CONV2D = ModelTask("no_conv2d", "build_no_conv2d", "remove_all_conv2d", SHOW)
ONLY_DENSE = ModelTask("only_dense", "build_only_dense", "only_dense", SHOW)
SMALLEST_BREAK = ModelTask("smallest_break", "build_smallest_break", "smallest_break", NOT_RELIABLE)
NEVER_REMOVE = ValueTask("never_remove", "never_remove", "never_remove")

TASKS = (NO_BATCHNORM, NO_CONV2D, ONLY_DENSE, SMALLEST_BREAK, NEVER_REMOVE)
