"""The `break_the_model` assignment: networks judged on their layers, then trained.

Structure decides "remove all BatchNormalization", "remove all Conv2D" and "only Dense
layers"; their training verdict is shown, not graded (the student's job there is to
build and observe). "Break it with as small a change as possible" needs both: at most
two layer edits and a verdict that is not "reliable". What is right here is public
(the checks say what is still wrong with a network), so the grader uses these same
judges; it only adds the training, outside the student's kernel, with the lesson's
own compile settings whatever the student compiled with.

The written set answer (`never_remove`) and the doctor's task (`doctor_a`, `doctor_b`, `doctor_c`:
which change on the notebook's list broke each of three unnamed networks) are different: its check looks at the form of
the answer only; the answer is in the grader's key (`judge(record, key)`, key.answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from smiley_checks.messages import say
from smiley_checks.tasks.declaration import Task
from smiley_checks.tasks.key import TaskKey
from smiley_checks.tasks.records import failed, is_unanswered, not_attempted, passed, plain, quiet

ASSIGNMENT = "break_the_model"
SMALLEST_BREAK_MAX_EDITS = 2
# The layer types of the lesson's network (the input is not a layer).
LESSON_LAYER_TYPES = ("Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense")
ONLY_DENSE_ALLOWED = frozenset({"Flatten", "Dense", "Dropout"})
INPUT_NAMES = ("inputlayer", "input")


def verdict_text(verdict) -> str:
    from smiley_checks.training.blowup import accuracy_words

    accuracies = ", ".join(accuracy_words(a) for a in verdict.accuracies)
    # The seeds' training time, not this call's: a verdict from the class run's cache then reads
    # the same as the one trained for a classmate's identical network.
    seconds = sum(verdict.seconds_per_seed)
    text = " ".join((
        say(f"verdict.{verdict.verdict}", seeds=len(verdict.seeds), seconds=f"{seconds:.0f}"),
        say("assign.verdict.accuracies", accuracies=accuracies),
    ))
    if getattr(verdict, "findings_per_seed", None):
        from smiley_checks.training.diagnosis.summary import verdict_diagnosis

        text += "\n" + verdict_diagnosis(verdict)
    return text


# --- structure judges: a Keras model -> Outcome ---

def remove_all(type_name: str, grade_id: str):
    """Correct when every `type_name` layer is gone and nothing else changed."""

    def judge(model):
        from smiley_checks.inspection.compare import compare
        from smiley_checks.inspection.describe import describe

        left = describe(model).type_counts[type_name]
        if left:
            return failed(say(f"task.{grade_id}.left", count=left))
        other = [e for e in compare(model).edits if not (e.kind == "missing" and e.expected.type == type_name)]
        if other:
            return failed(say("check.other_changes", changes=" ".join(e.message() for e in other)))
        return passed(message=say(f"task.{grade_id}.correct"))

    return judge


def only_dense(model):
    from smiley_checks.inspection.describe import describe

    other = {t: n for t, n in describe(model).type_counts.items() if t not in ONLY_DENSE_ALLOWED}
    if other:
        types = ", ".join(f"{t} x{n}" for t, n in sorted(other.items()))
        return failed(say("task.only_dense.other_types", types=types))
    return passed(message=say("task.only_dense.correct"))


def smallest_break(model):
    from smiley_checks.inspection.compare import compare

    comparison = compare(model)
    changes = " ".join(comparison.messages())
    if comparison.same:
        return failed(say("task.smallest_break.unchanged"))
    if comparison.distance > SMALLEST_BREAK_MAX_EDITS:
        return failed(say("task.smallest_break.too_many", distance=comparison.distance,
                          limit=SMALLEST_BREAK_MAX_EDITS, changes=changes))
    return passed(message=say("task.smallest_break.correct", limit=SMALLEST_BREAK_MAX_EDITS, changes=changes))


def what_changed(model) -> str:
    """For the class report only: never let describing the change cost a student points."""
    from smiley_checks.inspection.change_summary import what_changed as summary

    try:
        return summary(model)
    except Exception:
        return ""


@dataclass(frozen=True)
class ModelTask(Task):
    structure: object = None  # model -> Outcome
    must_break: bool = False  # the verdict must not be "reliable" (else it is only shown)

    def _model(self, builder):
        """The student's network, or the Outcome that says why there is none."""
        from smiley_checks.errors import SmileyChecksError
        from smiley_checks.inspection.submission import NothingHandedIn, accept, one_line

        if is_unanswered(builder):
            return not_attempted(say("check.not_attempted", name=self.answer))
        try:
            with quiet():
                return accept(builder, name=self.answer)
        except NothingHandedIn:
            return not_attempted(say("check.not_attempted", name=self.answer))
        except SmileyChecksError as error:
            return failed(str(error))
        except Exception as error:  # a very odd object: still one sentence
            return failed(say("check.crashed", error_type=type(error).__name__, error=one_line(error)))

    def check(self, builder):
        from smiley_checks.tasks.records import Outcome

        model = self._model(builder)
        if isinstance(model, Outcome):
            return model
        refused = self._refused_by_grader(model)
        return refused or self.structure(model)

    @staticmethod
    def _refused_by_grader(model):
        """Say now what the grader would refuse to rebuild (config_allowlist), not only in the feedback."""
        from smiley_checks.inspection.config_allowlist import NotAllowed, check_model

        try:
            with quiet():
                check_model(model)
        except NotAllowed as error:
            return failed(str(error))
        except Exception:  # Keras cannot write this network down: the grader would get no network
            return failed(say("assign.model.not_saved"))
        return None

    def export(self, builder, inputs=None) -> dict:
        """Build the student's network once and keep its Keras config (no weights, no compile settings:
        the grader trains every network with the lesson's)."""
        from smiley_checks.tasks.records import Outcome

        record = {"task": self.grade_id}
        model = self._model(builder)
        if isinstance(model, Outcome):
            return record | ({"not_attempted": True} if not model.attempted else {"error": model.message})
        try:
            return record | {"model": without_compile(model.to_json())}
        except Exception:
            return record | {"error": say("assign.model.not_saved")}

    @staticmethod
    def rebuild(record: dict):
        """The network again, from its Keras config only, uncompiled: training then uses the lesson's adam
        and categorical cross-entropy. Only a config within config_allowlist's tables is rebuilt (NotAllowed
        otherwise): Keras's safe mode alone still calls any keras function a config names."""
        from smiley_checks.inspection.config_allowlist import checked_json
        from smiley_checks.keras_env import keras

        text = checked_json(without_compile(record["model"]))
        with quiet():
            return keras.models.model_from_json(text)

    def judge(self, record: dict, key: TaskKey, *, train: bool = True, cache=None):
        """Structure, then (when `train`) the training verdict. `cache`: the grading run's VerdictCache.
        What is right is public here: the key adds only the thresholds of the network's doctor
        (key.diagnosis; None: the calibrated ones that ship, diagnosis/thresholds.json)."""
        from dataclasses import replace

        if record.get("not_attempted"):
            return not_attempted(say("check.not_attempted", name=self.answer))
        if "error" in record:
            return failed(str(record["error"]))
        if not isinstance(record.get("model"), str):
            return failed(say("assign.record_mismatch"))
        from smiley_checks.inspection.config_allowlist import NotAllowed

        try:
            model = self.rebuild(record)
        except NotAllowed as error:
            return failed(str(error))
        except Exception:
            return failed(say("assign.model.not_rebuilt"))
        return replace(self._judge_model(model, train, cache, key.diagnosis), changes=what_changed(model))

    def _judge_model(self, model, train: bool, cache, thresholds=None):
        structure = self.structure(model)
        if not structure.passed:
            return structure
        if not train:
            return passed()
        from smiley_checks.errors import SmileyChecksError
        from smiley_checks.training.reliability import RELIABLE, reliability

        try:
            verdict = reliability(model, cache=cache, diagnose=True, thresholds=thresholds, pictures=True)
        except SmileyChecksError as error:
            return failed(str(error)) if self.must_break else passed(str(error))
        from dataclasses import replace

        from smiley_checks.training.diagnosis.summary import (main_diagnosis, verdict_diagnosis_line,
                                                              verdict_strip_png)

        shown = verdict_text(verdict)
        main = main_diagnosis(getattr(verdict, "findings_per_seed", None) or [])
        doctor = {"diagnosis": verdict_diagnosis_line(verdict), "picture": verdict_strip_png(verdict),
                  "main_diagnosis": main, "diagnosis_picture": getattr(verdict, "pictures", {}).get(main, "")}
        if self.must_break and verdict.verdict == RELIABLE:
            return replace(failed(say("assign.smallest_break.still_reliable"), shown), **doctor)
        return replace(passed(shown), **doctor)


def without_compile(model_json: str) -> str:
    """A model's Keras config without its compile settings (Keras would compile it again with them)."""
    import json

    config = json.loads(model_json)
    if isinstance(config, dict):
        config.pop("compile_config", None)
    return json.dumps(config)


def layer_type_names(answer) -> set[str] | str:
    """The layer types named in a set answer, or the catalogue text saying what is wrong with its form."""
    if isinstance(answer, dict) and isinstance(answer.get("set"), list):  # a record's plain() form
        answer = answer["set"]
    if isinstance(answer, str):
        answer = {answer}
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(a, str) for a in answer):
        return say("task.never_remove.not_a_set")
    known = {t.lower(): t for t in LESSON_LAYER_TYPES}
    names = set()
    for raw in answer:
        key = raw.strip().lower()
        if key in INPUT_NAMES:
            return say("task.never_remove.input", name=raw)
        if key not in known:
            return say("task.never_remove.unknown", name=raw, choices=", ".join(LESSON_LAYER_TYPES))
        names.add(known[key])
    return names


@dataclass(frozen=True)
class WrittenTask(Task):
    """A written answer whose check sees its form only; what is right is in the grader's key (key.answer,
    with what to say in key.texts). The public key has no answer: then only the form is judged, as `check`
    does, and asking the check every answer tells a student nothing."""

    form_message = ""  # the catalogue key of what the check says of an answer of the right form

    def read(self, answer):  # pragma: no cover - every kind overrides it
        """The answer as the key compares it, or the catalogue text saying what is wrong with its form."""
        raise NotImplementedError

    def compare(self, answer, key: TaskKey):  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def check(self, answer):
        if is_unanswered(answer):
            return not_attempted(say("check.not_attempted", name=self.answer))
        value = self.read(answer)
        return failed(value) if isinstance(value, str) else passed(message=say(self.form_message))

    def export(self, answer, inputs=None) -> dict:
        record = {"task": self.grade_id}
        if is_unanswered(answer):
            return record | {"not_attempted": True}
        return record | {"value": plain(answer)}

    def judge(self, record: dict, key: TaskKey, *, train: bool = True, cache=None):
        if record.get("not_attempted"):
            return not_attempted(say("check.not_attempted", name=self.answer))
        value = self.read(record.get("value"))
        if isinstance(value, str):
            return failed(value)
        if key.answer is None:
            return passed(message=say(self.form_message))
        return self.compare(value, key)


@dataclass(frozen=True)
class SetTask(WrittenTask):
    """A set of layer types (never_remove). key.texts: what to say when it holds layers that could go
    ("removable"), misses one ("missing") or is right ("correct")."""

    form_message = "assign.public.never_remove_form"

    def read(self, answer):
        return layer_type_names(answer)

    def compare(self, names, key: TaskKey):
        removable = names - key.answer
        if removable:
            return failed(say(key.texts["removable"], names=", ".join(sorted(removable))))
        if names != key.answer:
            return failed(say(key.texts["missing"]))
        return passed(say(key.texts["correct"]))


# The doctor's task: the notebook's numbered list of changes (templates/break_the_model.md, task_doctor).
DOCTOR_CHANGES = 6


def change_number(answer) -> int | str:
    """The number of a change on the list, or the catalogue text saying what is wrong with its form."""
    if isinstance(answer, str) and answer.strip().isdigit():
        answer = int(answer.strip())  # "3" is what a student means by 3
    if isinstance(answer, bool) or not isinstance(answer, int):
        return say("task.doctor.not_a_choice")
    if not 1 <= answer <= DOCTOR_CHANGES:
        return say("task.doctor.not_on_list", answer=answer, count=DOCTOR_CHANGES)
    return answer


@dataclass(frozen=True)
class ChoiceTask(WrittenTask):
    """A number from the notebook's list: which change broke one of the doctor's networks. key.texts: what
    to say when it is right ("correct") or not ("wrong")."""

    form_message = "assign.public.doctor_form"

    def read(self, answer):
        return change_number(answer)

    def compare(self, number, key: TaskKey):
        return passed(say(key.texts["correct"])) if number == key.answer else failed(say(key.texts["wrong"]))


NO_BATCHNORM = ModelTask("no_batchnorm", ASSIGNMENT, "build_no_batchnorm", points=2, trains=True, hints=2,
                         structure=remove_all("BatchNormalization", "no_batchnorm"))
NO_CONV2D = ModelTask("no_conv2d", ASSIGNMENT, "build_no_conv2d", points=2, trains=True, hints=2,
                      structure=remove_all("Conv2D", "no_conv2d"))
ONLY_DENSE = ModelTask("only_dense", ASSIGNMENT, "build_only_dense", points=2, trains=True, hints=2,
                       structure=only_dense)
SMALLEST_BREAK = ModelTask("smallest_break", ASSIGNMENT, "build_smallest_break", points=3, trains=True, hints=2,
                           structure=smallest_break, must_break=True)
NEVER_REMOVE = SetTask("never_remove", ASSIGNMENT, "never_remove", points=2, hints=2)

DOCTOR_TASKS = tuple(ChoiceTask(f"doctor_{letter}", ASSIGNMENT, f"patient_{letter}", points=1, hints=2) for letter in "abc")

TASKS = (NO_BATCHNORM, NO_CONV2D, ONLY_DENSE, SMALLEST_BREAK, NEVER_REMOVE, *DOCTOR_TASKS)
