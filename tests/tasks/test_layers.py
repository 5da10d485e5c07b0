"""The `layers` tasks' public checks: on the notebook's own examples, with the right
answers written out; the teacher's answers pass, typical mistakes get their own tip."""

import pytest

from smiley_checks.tasks import TASKS, layers
from smiley_checks.tasks.records import call_record

LAYERS = [task.grade_id for task in layers.TASKS]


def check(grade_id, answer):
    from smiley_checks.checks.view import grade

    return grade(TASKS[grade_id], answer)


@pytest.mark.parametrize("grade_id", LAYERS)
def test_the_teachers_answers_pass_the_public_check(grade_id, solutions):
    assert check(grade_id, solutions[TASKS[grade_id].answer]).passed


def test_normalise_mistakes_are_named():
    def no_sqrt(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / len(values)
        return [(x - mean) / variance if variance else 0 for x in values]

    def sample(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / (len(values) - 1)
        return [(x - mean) / variance ** 0.5 if variance else 0 for x in values]

    def divides_by_zero(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / len(values)
        return [(x - mean) / variance ** 0.5 for x in values]

    assert "square root" in check("normalise", no_sqrt).message
    assert "n - 1" in check("normalise", sample).message or "sample" in check("normalise", sample).message
    outcome = check("normalise", divides_by_zero)
    assert not outcome.passed and "ZeroDivisionError" in outcome.message
    assert "length" in check("normalise", lambda values: values[:1]).message or not check(
        "normalise", lambda values: values[:1]).passed


def test_params_pool_and_convolve_mistakes():
    assert "bias" in check("conv2d_params", lambda f, k, c: k * k * c * f).message
    assert "bias" in check("dense_params", lambda i, u: i * u).message
    outcome = check("max_pool", lambda image: [[1.75, 1.25], [1.75, 1.75]])
    assert not outcome.passed and "average" in outcome.message.lower()
    outcome = check("convolve", lambda image, kernel: [[-765, -765], [-765, -765]])
    assert not outcome.passed and "turned the filter around" in outcome.message
    assert not check("convolve", lambda image, kernel: image).passed


def test_shape_tips_name_the_rule_not_the_answer():
    outcome = check("shapes_conv_pool", lambda layer, shape, count=None: shape)
    assert not outcome.passed and "108" not in outcome.message.split("gave")[-1]


def test_blank_and_broken_answers_get_one_sentence():
    assert check("normalise", None).status == "not_attempted"
    assert "not a function" in check("normalise", 3).message or not check("normalise", 3).passed


def test_the_public_check_never_calls_with_anything_but_the_examples():
    seen = []
    check("conv2d_params", lambda *args: seen.append(args) or 0)
    assert seen == [example.args for example in layers.CONV2D_PARAMS.examples]


def test_call_records_are_plain_json():
    import json

    record = call_record(lambda image: [[1, 2]], ([[1, 2], [3, 4]],))
    assert json.loads(json.dumps(record)) == record
