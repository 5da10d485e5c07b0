"""One key per task (grader/smiley_grader/keys.py), and one way to judge: `task.judge(record, key)`."""

import pytest

from smiley_checks.messages import say
from smiley_checks.tasks import TASKS, layers
from smiley_checks.tasks.hand_in import NEEDS_INPUTS
from smiley_checks.tasks.key import TaskKey
from smiley_grader.hidden_inputs import draw, literal
from smiley_grader.keys import KEYS, course_key

HIDDEN = draw(b"the test course's secret")


def test_every_task_has_exactly_one_key_under_its_grade_id():
    assert list(KEYS) == list(TASKS)
    assert all(isinstance(key, TaskKey) and key.grade_id == grade_id and not key.public
               for grade_id, key in KEYS.items())


def test_a_key_draws_hidden_inputs_exactly_when_the_kernel_asks_for_them():
    """hand_in (student side) asks for hidden inputs by the task's kind; the key says how they are drawn."""
    for grade_id, task in TASKS.items():
        assert (KEYS[grade_id].draw is not None) == (getattr(task, "kind", None) in NEEDS_INPUTS), grade_id
    assert set(HIDDEN) == {grade_id for grade_id, key in KEYS.items() if key.draw}


def test_the_course_key_holds_the_course_calls_and_refuses_to_judge_without_them():
    key = course_key("normalise", literal(HIDDEN))
    assert key.calls == HIDDEN["normalise"] and KEYS["normalise"].calls is None
    assert course_key("shapes_network", None) is KEYS["shapes_network"]  # nothing drawn for the chain
    with pytest.raises(ValueError, match="no hidden inputs for normalise"):
        course_key("normalise", None)


@pytest.mark.parametrize("grade_id", [task.grade_id for task in layers.TASKS])
def test_the_check_is_the_judge_with_the_public_key(grade_id, solutions):
    """The notebook's check and the grader run the same judge; only the key differs."""
    task = TASKS[grade_id]
    answer = solutions[task.answer]
    assert task.check(answer) == task.judge(task.export(answer), task.public_key())
    assert task.check(answer).passed and task.check(answer).message  # a public pass says what was right
    calls = HIDDEN.get(grade_id)
    graded = task.judge(task.export(answer, calls), KEYS[grade_id] if calls is None else KEYS[grade_id].for_calls(calls))
    assert graded.passed and graded.message == ""  # "right for the examples" does not apply to hidden inputs


def test_the_set_answer_is_only_in_the_grader_key():
    task = TASKS["never_remove"]
    record = task.export({"Dense", "Conv2D"})
    assert task.judge(record, task.public_key()).passed  # the public key judges the form only
    judged = task.judge(record, KEYS["never_remove"])
    assert not judged.passed and "Conv2D" in judged.message
    assert task.judge(task.export({"Flatten", "Dense"}), KEYS["never_remove"]).shown


@pytest.mark.parametrize("grade_id", ["doctor_a", "doctor_b", "doctor_c"])
def test_the_doctors_answer_is_only_in_the_grader_key(grade_id):
    task, key = TASKS[grade_id], KEYS[grade_id]
    right = task.export(key.answer)
    assert task.judge(right, task.public_key()).passed  # the public key judges the form only
    assert task.judge(right, key).passed and task.judge(right, key).shown == say(key.texts["correct"])
    for wrong in set(range(1, 7)) - {key.answer}:
        judged = task.judge(task.export(wrong), key)
        assert not judged.passed and judged.message == say(key.texts["wrong"])
