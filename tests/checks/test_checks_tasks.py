"""Each task: the teacher's solution passes, wrong answers fail with the reason a student sees."""

import pytest

from smiley_checks.checks import CORRECT, INCORRECT, NOT_ATTEMPTED, tasks
from smiley_checks.keras_env import keras
from smiley_checks.messages import say, set_language

L = keras.layers


def without(*type_names):
    return lambda layers: [layer for layer in layers if type(layer).__name__ not in type_names]


@pytest.mark.parametrize("name", sorted(tasks.TASKS))
def test_the_teachers_solution_passes_its_own_check(name, solution_of):
    problem = tasks.TASKS[name]
    verdict = problem.grade(solution_of(problem))
    assert verdict.status == CORRECT, verdict.message
    if name != "smallest_break":  # that message also lists the change
        assert verdict.message == say(f"task.{name}.correct")


@pytest.mark.parametrize("name", sorted(tasks.TASKS))
@pytest.mark.parametrize("answer", [None, ...], ids=["None", "Ellipsis"])
def test_an_empty_answer_is_not_attempted_yet(name, answer):
    verdict = tasks.TASKS[name].grade(answer)
    assert verdict.status == NOT_ATTEMPTED
    assert verdict.message == say("check.not_attempted", name=tasks.TASKS[name].variable)


def test_remove_all_batchnorm(lesson_model):
    grade = tasks.remove_all_batchnorm.grade
    assert grade(lesson_model(without("BatchNormalization"))).correct
    assert grade(lambda: lesson_model(without("BatchNormalization"))).correct  # a builder works too
    untouched = grade(lesson_model())
    assert (untouched.status, untouched.message) == (INCORRECT, say("task.remove_all_batchnorm.left", count=5))

    def also_no_dropout(layers):
        return without("BatchNormalization")(layers)[:-2] + [L.Dense(2, activation="softmax")]

    extra_change = grade(lesson_model(also_no_dropout))
    assert extra_change.status == INCORRECT
    assert extra_change.message == say("check.other_changes", changes="head: the Dropout(0.1) after Dense(16, relu) is missing.")


def test_remove_all_batchnorm_refuses_a_broken_model(lesson_model):
    def three_classes(layers):
        return without("BatchNormalization")(layers)[:-1] + [L.Dense(3, activation="softmax")]

    verdict = tasks.remove_all_batchnorm.grade(lesson_model(three_classes))
    assert (verdict.status, verdict.message) == (INCORRECT, say("submission.wrong_classes", units=3, classes=2))


def test_remove_all_conv2d(lesson_model):
    grade = tasks.remove_all_conv2d.grade
    assert grade(lesson_model(without("Conv2D"))).correct
    some_left = grade(lesson_model(lambda layers: [l for i, l in enumerate(layers) if i not in (0, 4, 8)]))
    assert (some_left.status, some_left.message) == (INCORRECT, say("task.remove_all_conv2d.left", count=2))
    wrong_input = grade(lesson_model(without("Conv2D"), shape=(110, 110, 3)))
    assert wrong_input.message == say("submission.wrong_input", shape="(110, 110, 3)", expected="(110, 110, 1)")


def test_only_dense(lesson_model):
    grade = tasks.only_dense.grade
    original = grade(lesson_model())
    assert original.status == INCORRECT
    assert original.message == say(
        "task.only_dense.other_types", types="BatchNormalization x5, Conv2D x5, MaxPooling2D x5"
    )
    no_flatten = keras.Sequential([keras.Input((110, 110, 1)), L.Dense(16), L.Dense(2, activation="softmax")])
    assert grade(no_flatten).message == say("submission.output_not_flat", shape="(110, 110, 2)")
    dense = keras.Sequential([keras.Input((110, 110, 1)), L.Flatten(), L.Dense(8), L.Dense(2, activation="softmax")])
    assert grade(dense).correct


def test_smallest_break(lesson_model):
    grade = tasks.smallest_break.grade
    assert grade(lesson_model()).message == say("task.smallest_break.unchanged")
    one = grade(lesson_model(lambda layers: layers[:-1] + [L.Dense(2, activation="relu")]))
    assert one.correct and "head: Dense(2, softmax) now has activation relu instead of softmax." in one.message
    assert grade(lesson_model(lambda layers: [l for i, l in enumerate(layers) if i not in (1, 5)])).correct
    three = grade(lesson_model(without("BatchNormalization")))
    assert three.status == INCORRECT
    assert three.message.startswith("You made 5 layer edits, but here you may use at most 2: block 1: the BatchNormalization")


@pytest.mark.parametrize("answer", [{"Dense", "Flatten"}, ["flatten", "dense"], ("Dense", " Flatten ")])
def test_never_remove_accepts_the_sensible_answer_in_any_container(answer):
    assert tasks.never_remove.grade(answer).correct
    assert tasks.NEVER_REMOVE == {"Dense", "Flatten"}  # defined once, in tasks.py


@pytest.mark.parametrize(
    "answer, key, values",
    [
        ({"Dense"}, "task.never_remove.missing", {}),
        ("Dense", "task.never_remove.missing", {}),
        (set(), "task.never_remove.missing", {}),
        ({"Dense", "Flatten", "Dropout"}, "task.never_remove.removable", {"names": "Dropout"}),
        ({"InputLayer", "Dense", "Flatten"}, "task.never_remove.input", {"name": "InputLayer"}),
        ({"Conv3D"}, "task.never_remove.unknown",
         {"name": "Conv3D", "choices": "Conv2D, BatchNormalization, MaxPooling2D, Dropout, Flatten, Dense"}),
        (42, "task.never_remove.not_a_set", {}),
        ({"Dense": 1}, "task.never_remove.not_a_set", {}),
    ],
)
def test_never_remove_wrong_answers(answer, key, values):
    verdict = tasks.never_remove.grade(answer)
    assert (verdict.status, verdict.message) == (INCORRECT, say(key, **values))


def test_a_judge_that_crashes_still_gives_one_sentence():
    from smiley_checks.checks import Problem

    def judge(answer):
        raise RuntimeError("internal\nstack")

    verdict = Problem("broken", judge, (), "", "x").grade(1)
    assert (verdict.status, verdict.message) == (INCORRECT, say("check.crashed", error_type="RuntimeError", error="internal"))


def test_verdicts_follow_the_language(lesson_model):
    set_language("nl")
    assert tasks.remove_all_batchnorm.grade(lesson_model()).message == "Je model heeft nog BatchNormalization-lagen (5 over). Verwijder ze allemaal."


def test_smallest_break_counts_every_setting_of_a_layer(lesson_model):
    # Issue 13: a harmless Dropout 0.15 plus a frozen or zero-started layer was "one edit"
    # when only the table's settings were compared. One edit per changed layer.
    grade = tasks.smallest_break.grade
    frozen_conv = L.Conv2D(1, (3, 3), activation="relu", trainable=False)
    zero_dense = L.Dense(16, activation="relu", kernel_initializer="zeros")

    def changed(**new_layers):
        def edit(layers):
            for index, layer in new_layers.items():
                layers[int(index[1:])] = layer
        return edit

    two = grade(lesson_model(changed(i22=L.Dropout(0.15), i0=frozen_conv)))
    assert two.correct and "trainable False instead of True" in two.message  # 2 edits: allowed, training decides
    three = grade(lesson_model(changed(i22=L.Dropout(0.15), i0=frozen_conv, i21=zero_dense)))
    assert three.status == INCORRECT
    assert three.message.startswith("You made 3 layer edits, but here you may use at most 2")
    assert "kernel_initializer Zeros instead of GlorotUniform" in three.message

    def freeze_all(layers):
        for layer in layers:
            layer.trainable = False

    assert grade(lesson_model(freeze_all)).status == INCORRECT  # every layer with weights: 12 edits
