"""The `break_the_model` tasks: the teacher's answers pass their public check, wrong networks fail
with the reason a student sees; the grader trains with the lesson's settings and the smallest break
must not be reliable; the set answer's check looks at its form only."""

import json
from pathlib import Path

import pytest

from smiley_checks.checks.view import grade as _grade
from smiley_checks.keras_env import keras
from smiley_checks.messages import say, set_language
from smiley_checks.tasks import TASKS, break_model

L = keras.layers
CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not_attempted"
MODEL_TASKS = [task.grade_id for task in break_model.TASKS if isinstance(task, break_model.ModelTask)]


def grader(grade_id):
    return lambda answer: _grade(TASKS[grade_id], answer)


def without(*type_names):
    return lambda layers: [layer for layer in layers if type(layer).__name__ not in type_names]


def variant(name):
    from smiley_checks.variants import build_variant

    return lambda: build_variant(name)


@pytest.fixture
def break_solutions():
    """The teacher's answers of the break_the_model notebook, run from the source notebook itself."""
    import nbformat

    from smiley_checks.dataset.layout import REPO_ROOT

    nb = nbformat.read(REPO_ROOT / "source" / "break_the_model" / "break_the_model.ipynb", as_version=4)
    namespace = {"keras": keras}
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution"):
            exec(cell.source, namespace)
    return namespace


@pytest.mark.parametrize("grade_id", MODEL_TASKS)
def test_the_teachers_answer_passes_its_public_check(grade_id, break_solutions):
    outcome = grader(grade_id)(break_solutions[TASKS[grade_id].answer])
    assert outcome.status == CORRECT, outcome.message
    if grade_id != "smallest_break":  # that message also lists the change
        assert outcome.message == say(f"task.{grade_id}.correct")


@pytest.mark.parametrize("grade_id", sorted(TASKS))
@pytest.mark.parametrize("answer", [None, ...], ids=["None", "Ellipsis"])
def test_an_empty_answer_is_not_attempted_yet(grade_id, answer):
    outcome = _grade(TASKS[grade_id], answer)
    assert outcome.status == NOT_ATTEMPTED


def test_remove_all_batchnorm(lesson_model):
    grade = grader("no_batchnorm")
    assert grade(lesson_model(without("BatchNormalization"))).passed
    assert grade(lambda: lesson_model(without("BatchNormalization"))).passed  # a builder works too
    untouched = grade(lesson_model())
    assert (untouched.status, untouched.message) == (INCORRECT, say("task.no_batchnorm.left", count=5))

    def also_no_dropout(layers):
        return without("BatchNormalization")(layers)[:-2] + [L.Dense(2, activation="softmax")]

    extra_change = grade(lesson_model(also_no_dropout))
    assert extra_change.status == INCORRECT
    assert extra_change.message == say("check.other_changes", changes="head: the Dropout(0.1) after Dense(16, relu) is missing.")


def test_remove_all_batchnorm_refuses_a_broken_model(lesson_model):
    def three_classes(layers):
        return without("BatchNormalization")(layers)[:-1] + [L.Dense(3, activation="softmax")]

    verdict = grader("no_batchnorm")(lesson_model(three_classes))
    assert (verdict.status, verdict.message) == (INCORRECT, say("submission.wrong_classes", units=3, classes=2))


def test_remove_all_conv2d(lesson_model):
    grade = grader("no_conv2d")
    assert grade(lesson_model(without("Conv2D"))).passed
    some_left = grade(lesson_model(lambda layers: [l for i, l in enumerate(layers) if i not in (0, 4, 8)]))
    assert (some_left.status, some_left.message) == (INCORRECT, say("task.no_conv2d.left", count=2))
    wrong_input = grade(keras.Sequential([keras.Input((110, 110, 3)), *without("Conv2D")(__import__('smiley_checks.network', fromlist=['x']).original_layers(keras))]))
    assert wrong_input.message == say("submission.wrong_input", shape="(110, 110, 3)", expected="(110, 110, 1)")


def test_only_dense(lesson_model):
    grade = grader("only_dense")
    original = grade(lesson_model())
    assert original.status == INCORRECT
    assert original.message == say(
        "task.only_dense.other_types", types="BatchNormalization x5, Conv2D x5, MaxPooling2D x5"
    )
    no_flatten = keras.Sequential([keras.Input((110, 110, 1)), L.Dense(16), L.Dense(2, activation="softmax")])
    assert grade(no_flatten).message == say("submission.output_not_flat", shape="(110, 110, 2)")
    dense = keras.Sequential([keras.Input((110, 110, 1)), L.Flatten(), L.Dense(8), L.Dense(2, activation="softmax")])
    assert grade(dense).passed


def test_smallest_break(lesson_model):
    grade = grader("smallest_break")
    assert grade(lesson_model()).message == say("task.smallest_break.unchanged")
    one = grade(lesson_model(lambda layers: layers[:-1] + [L.Dense(2, activation="relu")]))
    assert one.passed and "head: Dense(2, softmax) now has activation relu instead of softmax." in one.message
    assert grade(lesson_model(lambda layers: [l for i, l in enumerate(layers) if i not in (1, 5)])).passed
    three = grade(lesson_model(without("BatchNormalization")))
    assert three.status == INCORRECT
    assert three.message.startswith("You made 5 layer edits, but here you may use at most 2: block 1: the BatchNormalization")


@pytest.mark.parametrize("answer", [{"Dense", "Flatten"}, ["flatten", "dense"], ("Dense", " Flatten "), {"Conv2D"},
                                    set(), "Dropout"])
def test_never_remove_checks_the_form_only_right_or_wrong(answer):
    """No oracle: a wrong set of real layer types gets the same answer as the right one."""
    outcome = grader("never_remove")(answer)
    assert outcome.passed and outcome.message == say("assign.public.never_remove_form")


@pytest.mark.parametrize(
    "answer, key, values",
    [
        ({"InputLayer", "Dense", "Flatten"}, "task.never_remove.input", {"name": "InputLayer"}),
        ({"Conv3D"}, "task.never_remove.unknown",
         {"name": "Conv3D", "choices": "Conv2D, BatchNormalization, MaxPooling2D, Dropout, Flatten, Dense"}),
        (42, "task.never_remove.not_a_set", {}),
        ({"Dense": 1}, "task.never_remove.not_a_set", {}),
    ],
)
def test_never_remove_wrong_forms(answer, key, values):
    outcome = grader("never_remove")(answer)
    assert (outcome.status, outcome.message) == (INCORRECT, say(key, **values))


def test_a_check_that_crashes_still_gives_one_sentence():
    from dataclasses import replace

    def structure(model):
        raise RuntimeError("internal\nstack")

    task = replace(TASKS["no_batchnorm"], structure=structure)
    outcome = _grade(task, variant("no_batchnorm"))
    assert (outcome.status, outcome.message) == (INCORRECT, say("check.crashed", error_type="RuntimeError", error="internal"))


def test_verdicts_follow_the_language(lesson_model):
    set_language("nl")
    assert grader("no_batchnorm")(lesson_model()).message == "Je model heeft nog BatchNormalization-lagen (5 over). Verwijder ze allemaal."


def test_records_are_json_and_rebuild_uncompiled_without_student_code():
    task = TASKS["no_batchnorm"]

    def compiled_oddly():
        model = variant("no_batchnorm")()
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.0), loss="mse")
        return model

    record = json.loads(json.dumps(task.export(compiled_oddly)))
    assert "compile" not in record  # the grader trains with the lesson's adam and cross-entropy
    model = task.rebuild(record)
    assert [type(layer).__name__ for layer in model.layers].count("BatchNormalization") == 0
    assert not model.compiled

    def with_lambda():
        return keras.Sequential([keras.Input(shape=(110, 110, 1)), keras.layers.Lambda(lambda x: x),
                                 keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])

    record = TASKS["only_dense"].export(with_lambda)
    assert "yours has a layer of type Lambda" in TASKS["only_dense"].judge(record, TASKS["only_dense"].public_key(), train=False).message  # config_allowlist


def test_nothing_handed_in_and_odd_answers():
    task = TASKS["smallest_break"]
    assert "still empty" in task.judge(task.export(None), task.public_key()).message
    assert "instead of a Keras model" in task.judge(task.export(lambda: 3), task.public_key()).message


class FakeVerdict:
    def __init__(self, verdict):
        self.verdict, self.accuracies, self.seeds, self.seconds = verdict, [0.9] * 5, list(range(5)), 12.0
        self.seconds_per_seed = [2.0] * 5


@pytest.mark.parametrize("verdict,passes", [("reliable", False), ("unreliable", True), ("broken", True)])
def test_the_smallest_break_must_not_be_reliable(verdict, passes, monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    monkeypatch.setattr(reliability_module, "reliability", lambda model, **kw: FakeVerdict(verdict))
    task = TASKS["smallest_break"]
    result = task.judge(task.export(variant("final_relu")), task.public_key())
    assert result.passed is passes
    assert result.shown.startswith(say(f"verdict.{verdict}", seeds=5, seconds="10").split(".")[0])
    if not passes:
        assert "not broken yet" in result.message


def test_the_verdict_shows_the_doctors_word_per_kind_of_try_but_it_does_not_grade(monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    verdict = FakeVerdict("broken")
    one_answer = {"code": "one_answer", "details": {"share": 1.0, "answer": 0}}
    verdict.findings_per_seed = [[one_answer], [], [one_answer], [], []]
    monkeypatch.setattr(reliability_module, "reliability", lambda model, **kw: verdict)
    task = TASKS["smallest_break"]
    result = task.judge(task.export(variant("final_relu")), task.public_key())
    assert result.passed  # broken is what the task asks; the diagnosis changes nothing in that
    assert say("diagnosis.title") in result.shown
    assert say("diagnosis.per_try", seed="0, 2", text="").strip() in result.shown
    assert result.diagnosis == f"{say('diagnosis.short.one_answer')} (0, 2); {say('diagnosis.short.none')} (1, 3, 4)"
    import base64

    assert base64.b64decode(result.picture).startswith(b"\x89PNG")  # the seed strip, for the feedback
    assert result.main_diagnosis == "one_answer" and result.diagnosis_picture == ""  # the fake drew none
    verdict.pictures = {"one_answer": "iVBORw0KGgo"}
    result = task.judge(task.export(variant("final_relu")), task.public_key())
    assert result.diagnosis_picture == "iVBORw0KGgo"
    from smiley_grader.nbgrader_plugin import judged_outputs

    images = [o["data"] for o in judged_outputs(result) if "image/png" in o.get("data", {})]
    assert [i["image/png"] for i in images] == [result.picture, "iVBORw0KGgo"]
    assert images[1]["text/plain"] == say("diagnosis.short.one_answer")


def test_the_reports_diagnosis_line_groups_tries_by_diagnosis_not_by_sentence():
    from smiley_checks.training.diagnosis.summary import verdict_diagnosis, verdict_diagnosis_line

    verdict = FakeVerdict("broken")
    verdict.findings_per_seed = [[{"code": "nan_loss", "details": {"step": 2, "epoch": 1}}]] + [
        [{"code": "nan_loss", "details": {"step": 1, "epoch": 1}}]] * 4
    assert verdict_diagnosis_line(verdict) == f"{say('diagnosis.short.nan_loss')} (0, 1, 2, 3, 4)"
    assert "step 2" in verdict_diagnosis(verdict) and "step 1" in verdict_diagnosis(verdict)  # the sentences stay exact


@pytest.mark.parametrize("verdict", ["reliable", "unreliable", "broken"])
def test_the_removal_tasks_show_the_verdict_but_do_not_grade_it(verdict, monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    monkeypatch.setattr(reliability_module, "reliability", lambda model, **kw: FakeVerdict(verdict))
    for name, good in (("no_batchnorm", "no_batchnorm"), ("no_conv2d", "no_conv2d"), ("only_dense", "dense_only")):
        result = TASKS[name].judge(TASKS[name].export(variant(good)), TASKS[name].public_key())
        assert result.passed and result.shown.startswith(say(f"verdict.{verdict}", seeds=5, seconds="10").split(".")[0])


def test_the_student_package_holds_no_answer_key():
    """The answer set and the answer-key messages live in the grader package only."""
    import re

    import smiley_checks
    from smiley_grader import answer_key

    key_texts = [text for key in ("key.never_remove.correct", "key.never_remove.removable", "key.never_remove.missing")
                 for text in __import__("smiley_checks.messages", fromlist=["catalogue"]).catalogue()[key].values()]
    answer = re.compile(r"""\{\s*["'](Dense|Flatten)["']\s*,\s*["'](Dense|Flatten)["']\s*\}""")
    for path in Path(smiley_checks.__file__).parent.rglob("*"):
        if path.suffix in (".py", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not answer.search(text), path
            assert not any(key_text[:40] in text for key_text in key_texts), path
    assert answer_key.NEVER_REMOVE == {"Dense", "Flatten"}


def test_smallest_break_counts_every_setting_of_a_layer(lesson_model):
    # Issue 13: a harmless Dropout 0.15 plus a frozen or zero-started layer was "one edit"
    # when only the table's settings were compared. One edit per changed layer.
    grade = grader("smallest_break")
    frozen_conv = L.Conv2D(1, (3, 3), activation="relu", trainable=False)
    zero_dense = L.Dense(16, activation="relu", kernel_initializer="zeros")

    def changed(**new_layers):
        def edit(layers):
            for index, layer in new_layers.items():
                layers[int(index[1:])] = layer
        return edit

    two = grade(lesson_model(changed(i22=L.Dropout(0.15), i0=frozen_conv)))
    assert two.passed and "trainable False instead of True" in two.message  # 2 edits: allowed, training decides
    three = grade(lesson_model(changed(i22=L.Dropout(0.15), i0=frozen_conv, i21=zero_dense)))
    assert three.status == INCORRECT
    assert three.message.startswith("You made 3 layer edits, but here you may use at most 2")
    assert "kernel_initializer Zeros instead of GlorotUniform" in three.message

    def freeze_all(layers):
        for layer in layers:
            layer.trainable = False

    assert grade(lesson_model(freeze_all)).status == INCORRECT  # every layer with weights: 12 edits


# --- the doctor's task: a number from the notebook's list; the check sees the form only ---

DOCTOR = [task.grade_id for task in break_model.DOCTOR_TASKS]


@pytest.mark.parametrize("grade_id", DOCTOR)
@pytest.mark.parametrize("answer", range(1, break_model.DOCTOR_CHANGES + 1))
def test_the_doctors_check_accepts_every_number_on_the_list_right_or_wrong(grade_id, answer):
    """Asking the check every number tells a student nothing: it says the same for all of them."""
    outcome = grader(grade_id)(answer)
    assert outcome.passed and outcome.message == say("assign.public.doctor_form")


@pytest.mark.parametrize(
    "answer, key, values",
    [
        (0, "task.doctor.not_on_list", {"answer": 0, "count": 6}),
        (7, "task.doctor.not_on_list", {"answer": 7, "count": 6}),
        ("two", "task.doctor.not_a_choice", {}),
        (2.0, "task.doctor.not_a_choice", {}),
        (True, "task.doctor.not_a_choice", {}),
        ([2], "task.doctor.not_a_choice", {}),
    ],
)
def test_the_doctors_wrong_forms(answer, key, values):
    outcome = grader("doctor_a")(answer)
    assert outcome.status == INCORRECT and outcome.message == say(key, **values)


def test_a_number_written_in_quotes_counts_as_the_number():
    assert break_model.change_number(" 3 ") == 3
    assert grader("doctor_b")("3").passed


def test_the_doctors_answers_are_only_in_the_grader_package():
    """No file of the student package names which break a network is, or says the key's texts."""
    import smiley_checks
    from smiley_checks.messages import catalogue
    from smiley_grader.patients import PATIENTS

    key_texts = [text[:40] for p in PATIENTS for key in p.texts.values() for text in catalogue()[key].values()]
    patients_module = (Path(smiley_checks.__file__).parent / "training" / "patients.py").read_text()
    assert not any(p.break_name in patients_module for p in PATIENTS)
    for path in Path(smiley_checks.__file__).parent.rglob("*"):
        if path.suffix in (".py", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not any(key_text in text for key_text in key_texts), path
            assert "patient_a = 2" not in text, path
