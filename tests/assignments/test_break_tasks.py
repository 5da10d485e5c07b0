"""The `break_the_model` tasks: structure decides the points, the verdict is shown, and the
smallest break must not be reliable."""

import json

import pytest

from smiley_checks.grading import break_tasks
from smiley_checks.grading.tasks import TASKS


def variant(name):
    from smiley_checks.variants import build_variant

    return lambda: build_variant(name)


@pytest.mark.parametrize("task,good,bad,reason", [
    ("no_batchnorm", "no_batchnorm", "no_dropout", "still has BatchNormalization layers (5 left)"),
    ("no_conv2d", "no_conv2d", "dense_only", "changed more than was asked"),
    ("only_dense", "dense_only", "no_conv2d", "do not belong in a Dense-only network"),
    ("smallest_break", "final_relu", "dense_only", "layer edits, but here you may use at most 2"),
])
def test_structure_decides(task, good, bad, reason, keras):
    task = TASKS[task]
    assert task.judge(task.export(variant(good)), train=False).passed
    result = task.judge(task.export(variant(bad)), train=False)
    assert not result.passed and reason in result.message


def test_records_are_json_and_rebuild_without_student_code(keras):
    task = TASKS["no_batchnorm"]
    record = json.loads(json.dumps(task.export(variant("no_batchnorm"))))
    model = task.rebuild(record)
    assert [type(layer).__name__ for layer in model.layers].count("BatchNormalization") == 0
    assert model.optimizer is not None and model.loss == "categorical_crossentropy"

    def with_lambda():
        return keras.Sequential([keras.Input(shape=(110, 110, 1)), keras.layers.Lambda(lambda x: x),
                                 keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])

    record = TASKS["only_dense"].export(with_lambda)
    assert "could not build your network again" in TASKS["only_dense"].judge(record, train=False).message


def test_nothing_handed_in_and_odd_answers(keras):
    task = TASKS["smallest_break"]
    assert "still empty" in task.judge(task.export(None)).message
    assert "instead of a Keras model" in task.judge(task.export(lambda: 3)).message


class FakeVerdict:
    def __init__(self, verdict):
        self.verdict, self.accuracies, self.seeds, self.seconds = verdict, [0.9] * 5, list(range(5)), 12.0
        self.seconds_per_seed = [2.0] * 5


@pytest.mark.parametrize("verdict,passes", [("reliable", False), ("unreliable", True), ("broken", True)])
def test_the_smallest_break_must_not_be_reliable(verdict, passes, keras, monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    monkeypatch.setattr(reliability_module, "reliability", lambda model, **kw: FakeVerdict(verdict))
    task = TASKS["smallest_break"]
    result = task.judge(task.export(variant("final_relu")))
    assert result.passed is passes
    assert result.shown.startswith(f"Verdict: {verdict}")
    if not passes:
        assert "not broken yet" in result.message


@pytest.mark.parametrize("verdict", ["reliable", "unreliable", "broken"])
def test_the_removal_tasks_show_the_verdict_but_do_not_grade_it(verdict, keras, monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    monkeypatch.setattr(reliability_module, "reliability", lambda model, **kw: FakeVerdict(verdict))
    for name, good in (("no_batchnorm", "no_batchnorm"), ("no_conv2d", "no_conv2d"), ("only_dense", "dense_only")):
        result = TASKS[name].judge(TASKS[name].export(variant(good)))
        assert result.passed and result.shown.startswith(f"Verdict: {verdict}")


def test_never_remove():
    task = TASKS["never_remove"]
    assert task.judge(task.export({"Dense", "Flatten"})).passed
    assert task.judge(task.export(["flatten", "dense"])).passed
    assert "another layer type" in task.judge(task.export({"Dense"})).message
    assert "still empty" in task.judge(task.export(None)).message
    assert "set of layer names" in task.judge(task.export({"Dense": 1})).message


def test_every_model_task_uses_a_check_from_smiley_checks_checks():
    from smiley_checks.checks.tasks import TASKS as CHECKS

    for task in break_tasks.TASKS:
        assert task.problem in CHECKS
