"""The `layers` tasks: the teacher's answers pass, typical mistakes get their own tip,
and the reference answers agree with Keras on every hidden input."""

import math

import pytest

from smiley_checks.grading import layers_tasks as lt
from smiley_checks.grading.records import call_record
from smiley_checks.grading.tasks import TASKS

FUNCTION_OF = {task.name: task.function for task in lt.TASKS}


@pytest.mark.parametrize("name", [task.name for task in lt.TASKS])
def test_the_teachers_answers_pass_the_hidden_and_the_public_tests(name, solutions):
    task = TASKS[name]
    function = solutions[FUNCTION_OF[name]]
    assert task.judge(task.export(function)).passed
    if hasattr(task, "examples"):
        assert task.judge(task.export(function, public=True), public=True).passed


def test_hidden_inputs_are_not_the_lessons_examples():
    for task in lt.TASKS:
        if hasattr(task, "examples"):
            assert not set(map(repr, task.inputs)) & set(map(repr, task.examples)), task.name


def test_reference_answers_agree_with_keras(keras):
    for task in (lt.SHAPES_CONV_POOL, lt.SHAPES_OTHER):
        for kind, shape, count in task.inputs + task.examples:
            assert lt.expected_shape(kind, shape, count) == lt.keras_shape(kind, shape, count)
    assert lt.network_shapes() == lt.network_shapes(keras_reference=True)
    assert len(lt.network_shapes()) == 24 and lt.network_shapes()[-1] == (2,)
    for args in lt.CONV2D_PARAMS.inputs:
        assert lt._check_conv2d_params(args, lt.conv2d_params_reference(*args), True) is None
    for args in lt.DENSE_PARAMS.inputs:
        assert lt._check_dense_params(args, lt.dense_params_reference(*args), True) is None
    for (image,) in lt.MAX_POOL.inputs + lt.MAX_POOL.examples:
        assert (lt.max_pool_reference(image) == lt.keras_max_pool(image)).all()
    for image, kernel in lt.CONVOLVE.inputs + lt.CONVOLVE.examples:
        assert abs(lt.convolve_reference(image, kernel) - lt.keras_convolve(image, kernel)).max() < 1e-3


def outcome(name, function):
    task = TASKS[name]
    return task.judge(task.export(function))


def test_normalise_tips(solutions):
    def sample(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / max(1, len(values) - 1)
        return [(x - mean) / variance ** 0.5 if variance else 0 for x in values]

    def no_sqrt(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / len(values)
        return [(x - mean) / variance if variance else 0 for x in values]

    def keras_epsilon(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / len(values)
        return [(x - mean) / (variance + 0.001) ** 0.5 for x in values]

    def divides_by_zero(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / len(values)
        return [(x - mean) / variance ** 0.5 for x in values]

    assert "not by n - 1" in outcome("normalise", sample).message
    assert "square root" in outcome("normalise", no_sqrt).message
    assert outcome("normalise", keras_epsilon).passed  # Keras' own epsilon is fine
    message = outcome("normalise", divides_by_zero).message
    assert "[7, 7, 7]" in message and "ZeroDivisionError" in message


def test_shape_tips_name_the_rule_not_the_answer(solutions):
    def no_shrink(layer, shape, count=None):
        if layer == "Conv2D":
            return (shape[0], shape[1], count)
        return solutions["output_shape"](layer, shape, count)

    def flatten_number(layer, shape, count=None):
        return math.prod(shape) if layer == "Flatten" else solutions["output_shape"](layer, shape, count)

    message = outcome("shapes_conv_pool", no_shrink).message
    assert message.startswith('output_shape("Conv2D", (64, 40, 3), 7) gave (64, 40, 7)')
    assert "lose 2" in message and "(62, 38, 7)" not in message
    assert "tuple" in outcome("shapes_other", flatten_number).message
    assert "layer 1 (Conv2D)" in outcome("shapes_network", no_shrink).message


def test_params_pool_and_convolve_tips(solutions):
    assert "bias" in outcome("conv2d_params", lambda f, k, c: k * k * c * f).message
    assert "every input channel" in outcome("conv2d_params", lambda f, k, c: (k * k + 1) * f).message
    assert "bias" in outcome("dense_params", lambda i, u: i * u).message

    def average(image):
        return [[(image[r][c] + image[r][c + 1] + image[r + 1][c] + image[r + 1][c + 1]) / 4
                 for c in range(0, len(image[0]) - 1, 2)] for r in range(0, len(image) - 1, 2)]

    def keeps_odd(image):
        return [[max(v for row in image[r:r + 2] for v in row[c:c + 2]) for c in range(0, len(image[0]), 2)]
                for r in range(0, len(image), 2)]

    assert "average" in outcome("max_pool", average).message
    assert "drops the last one" in outcome("max_pool", keeps_odd).message

    convolve = solutions["convolve"]
    assert "turned the filter around" in outcome(
        "convolve", lambda image, kernel: convolve(image, [row[::-1] for row in kernel[::-1]])).message
    assert "no activation" in outcome(
        "convolve", lambda image, kernel: [[max(0, v) for v in row] for row in convolve(image, kernel)]).message


def test_blank_and_broken_answers_get_one_sentence():
    assert "not written yet" in outcome("normalise", None).message
    assert "Did you forget the line with return" in outcome("normalise", lambda values: None).message
    assert "should be a function" in outcome("normalise", [0, 1]).message
    assert "far too big" in outcome("max_pool", lambda image: list(range(10**5))).message


def test_a_record_that_does_not_match_the_hidden_inputs_fails():
    task = TASKS["dense_params"]
    record = task.export(lambda inputs, units: (inputs + 1) * units)
    record["calls"] = record["calls"][:-1]
    assert not task.judge(record).passed
    forged = {"task": "dense_params", "calls": [{"args": [1, 1], "result": 2}] * len(task.inputs)}
    assert "could not find your answer" in task.judge(forged).message


def test_call_records_are_plain_json():
    import numpy as np

    assert call_record(lambda: np.array([[1.5, float("nan")]]), ())["result"] == [[1.5, "nan"]]
    assert call_record(lambda: (1, 2), ())["result"] == [1, 2]
    assert call_record(lambda: 1 / 0, ())["error"].startswith("ZeroDivisionError")
    inputs = [1, 2]
    call_record(lambda values: values.append(3), (inputs,))
    assert inputs == [1, 2]  # the student's function gets a copy
