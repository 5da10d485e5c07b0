"""The grader's `layers` key: references that agree with Keras and with the examples written out in
the student package, and tips for typical mistakes on hidden inputs (here those drawn from one fixed
test secret; tests/grader/test_hidden_inputs.py tries 200 secrets)."""

import math

import numpy as np
import pytest

from smiley_checks.tasks import TASKS, layers
from smiley_checks.tasks.records import call_record
from smiley_grader import layers_key as key
from smiley_grader.hidden_inputs import draw
from smiley_grader.keys import KEYS

LAYERS = [task.grade_id for task in layers.TASKS]
HIDDEN = draw(b"the test course's secret")


def judged(task, record, inputs):
    """The judge with the grader's key, on these hidden inputs (the network chain needs none)."""
    task_key = KEYS[task.grade_id]
    return task.judge(record, task_key if inputs is None else task_key.for_calls(inputs))


def outcome(grade_id, function):
    task = TASKS[grade_id]
    inputs = HIDDEN.get(grade_id)
    return judged(task, task.export(function, inputs), inputs)


@pytest.mark.parametrize("grade_id", LAYERS)
def test_the_teachers_answers_pass_the_hidden_tests(grade_id, solutions):
    assert outcome(grade_id, solutions[TASKS[grade_id].answer]).passed


def keras_shape(keras, kind, shape, count):
    layer = {"Conv2D": lambda: keras.layers.Conv2D(count, (3, 3)), "MaxPooling2D": lambda: keras.layers.MaxPooling2D(),
             "BatchNormalization": keras.layers.BatchNormalization, "Dropout": lambda: keras.layers.Dropout(0.1),
             "Flatten": keras.layers.Flatten, "Dense": lambda: keras.layers.Dense(count)}[kind]()
    return tuple(int(v) for v in layer.compute_output_shape((None, *shape))[1:])


def test_references_agree_with_keras(keras):
    for grade_id in ("shapes_conv_pool", "shapes_other"):
        for kind, shape, count in HIDDEN[grade_id]:
            assert key.expected_shape(kind, shape, count) == keras_shape(keras, kind, shape, count)
    assert key.network_shapes() == layers.network_shapes()  # arithmetic == Keras' summary of the network
    for filters, kernel, channels in HIDDEN["conv2d_params"]:
        layer = keras.layers.Conv2D(filters, (kernel, kernel))
        layer.build((None, kernel + 1, kernel + 1, channels))
        assert key.conv2d_params(filters, kernel, channels) == layer.count_params()
    for inputs, units in HIDDEN["dense_params"]:
        layer = keras.layers.Dense(units)
        layer.build((None, inputs))
        assert key.dense_params(inputs, units) == layer.count_params()
    for (image,) in HIDDEN["max_pool"]:
        pooled = keras.layers.MaxPooling2D((2, 2))(np.asarray(image, dtype="float32")[None, :, :, None])
        assert (key.max_pool(image) == np.asarray(pooled)[0, :, :, 0]).all()
    for image, kernel in HIDDEN["convolve"]:
        layer = keras.layers.Conv2D(1, (3, 3), use_bias=False)
        array = np.asarray(image, dtype="float32")[None, :, :, None]
        layer.build(array.shape)
        layer.set_weights([np.asarray(kernel, dtype="float32").reshape(3, 3, 1, 1)])
        assert abs(key.convolve(image, kernel) - np.asarray(layer(array))[0, :, :, 0]).max() < 1e-3


def test_the_student_packages_examples_are_the_references_answers():
    """The public checks' answers are written out (no reference code in a student's install): they must
    be what the references say, mistakes included."""
    for task in layers.TASKS:
        if not isinstance(task, layers.CallsTask):
            continue
        for example in task.examples:
            right, mistakes = KEYS[task.grade_id].answer(*example.args), KEYS[task.grade_id].mistakes(*example.args)
            assert np.allclose(np.asarray(example.expected, dtype=float), np.asarray(right, dtype=float), atol=1e-5)
            known = {tip: value for value, tip in mistakes}
            for value, tip in example.mistakes:
                assert np.allclose(np.asarray(value, dtype=float), np.asarray(known[tip], dtype=float), atol=1e-5)


def test_normalise_tips_on_hidden_inputs():
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
    constant = next(values for (values,) in HIDDEN["normalise"] if len(set(values)) == 1)
    assert str(constant) in message and "ZeroDivisionError" in message


def test_shape_tips_name_the_rule_not_the_answer(solutions):
    def no_shrink(layer, shape, count=None):
        if layer == "Conv2D":
            return (shape[0], shape[1], count)
        return solutions["output_shape"](layer, shape, count)

    def flatten_number(layer, shape, count=None):
        return math.prod(shape) if layer == "Flatten" else solutions["output_shape"](layer, shape, count)

    message = outcome("shapes_conv_pool", no_shrink).message
    _, (height, width, channels), filters = HIDDEN["shapes_conv_pool"][0]
    assert message.startswith(f'output_shape("Conv2D", ({height}, {width}, {channels}), {filters}) '
                              f'gave ({height}, {width}, {filters})')
    assert "lose 2" in message and f"({height - 2}, {width - 2}, {filters})" not in message
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
    inputs = HIDDEN["dense_params"]
    record = task.export(lambda i, u: (i + 1) * u, inputs)
    assert judged(task, record, inputs).passed
    record["calls"] = record["calls"][:-1]
    assert not judged(task, record, inputs).passed
    forged = {"task": "dense_params", "calls": [{"args": [1, 1], "result": 2}] * len(inputs)}
    assert "could not find your answer" in judged(task, forged, inputs).message
    on_the_examples = task.export(lambda i, u: (i + 1) * u)  # the public check's calls are not the hidden ones
    assert not judged(task, on_the_examples, inputs).passed
    other_course = draw(b"another course's secret")["dense_params"]  # answers handed in for another course
    assert not judged(task, task.export(lambda i, u: (i + 1) * u, other_course), inputs).passed


def test_call_records_are_plain_json():
    assert call_record(lambda: np.array([[1.5, float("nan")]]), ())["result"] == [[1.5, "nan"]]
    assert call_record(lambda: (1, 2), ())["result"] == [1, 2]
    assert call_record(lambda: 1 / 0, ())["error"].startswith("ZeroDivisionError")
    inputs = [1, 2]
    call_record(lambda values: values.append(3), (inputs,))
    assert inputs == [1, 2]  # the student's function gets a copy
