"""The `layers` tasks' hidden inputs drawn from a course's secret (grader/smiley_grader/hidden_inputs.py):
the same secret gives the same inputs, another secret other ones, and on every draw the teacher's
answers pass and each typical mistake, written as a student writes it, still gets its own tip."""

import ast
import hashlib
import math

import pytest

from smiley_checks.messages import catalogue, say
from smiley_checks.tasks import TASKS, layers
from smiley_grader import layers_key
from smiley_grader.hidden_inputs import draw, literal, names_its_mistakes
from smiley_grader.keys import KEYS

SECRETS = [hashlib.sha256(f"course {n}".encode()).digest() for n in range(200)]
# The calls each task had as fixed constants before issue 21: the draws keep their number and order.
CALLS = {"shapes_conv_pool": 7, "shapes_other": 7, "conv2d_params": 5, "dense_params": 5, "normalise": 6,
         "max_pool": 5, "convolve": 4}


@pytest.fixture(scope="module")
def draws():
    return [draw(secret) for secret in SECRETS]


def judged(grade_id, function, inputs):
    task = TASKS[grade_id]
    return task.judge(task.export(function, inputs[grade_id]), KEYS[grade_id].for_calls(inputs[grade_id]))


def test_one_secret_always_draws_the_same_inputs_and_another_secret_others(draws):
    assert draw(SECRETS[0]) == draws[0] and literal(draw(SECRETS[0])) == literal(draws[0])
    assert len({literal(inputs) for inputs in draws}) == len(SECRETS)
    for grade_id in CALLS:  # every task changes, not only one
        assert len({repr(inputs[grade_id]) for inputs in draws}) > 150, grade_id


def test_the_draws_have_the_shapes_of_the_old_constants(draws):
    for inputs in draws[:20]:
        assert {grade_id: len(calls) for grade_id, calls in inputs.items()} == CALLS
        text = literal(inputs)
        assert ast.literal_eval(text) == inputs and "np." not in text and "array" not in text  # plain Python
        for kind, shape, count in inputs["shapes_conv_pool"] + inputs["shapes_other"]:
            assert isinstance(shape, tuple) and all(type(n) is int and n > 0 for n in shape)
            assert (count is None) == (kind not in ("Conv2D", "Dense"))


def test_no_draw_is_one_of_the_lessons_examples(draws):
    for task in layers.TASKS:
        if isinstance(task, layers.CallsTask):
            examples = {repr(example.args) for example in task.examples}
            for inputs in draws:
                assert not {repr(args) for args in inputs[task.grade_id]} & examples, task.grade_id


# --- the typical mistakes, as students write them (make_submissions.py's dirk writes several) ---

def conv_no_shrink(layer, shape, count=None):
    return (shape[0], shape[1], count) if layer == "Conv2D" else right_shape(layer, shape, count)


def conv_keeps_channels(layer, shape, count=None):
    return (shape[0] - 2, shape[1] - 2, shape[2]) if layer == "Conv2D" else right_shape(layer, shape, count)


def pool_rounds_up(layer, shape, count=None):
    if layer == "MaxPooling2D":
        return (math.ceil(shape[0] / 2), math.ceil(shape[1] / 2), shape[2])
    return right_shape(layer, shape, count)


def pool_halves_channels(layer, shape, count=None):
    if layer == "MaxPooling2D":
        return (shape[0] // 2, shape[1] // 2, shape[2] // 2)
    return right_shape(layer, shape, count)


def flatten_a_number(layer, shape, count=None):
    return math.prod(shape) if layer == "Flatten" else right_shape(layer, shape, count)


def flatten_forgets_channels(layer, shape, count=None):
    return (shape[0] * shape[1],) if layer == "Flatten" else right_shape(layer, shape, count)


def dense_keeps_inputs(layer, shape, count=None):
    return tuple(shape) if layer == "Dense" else right_shape(layer, shape, count)


def dropout_drops_some(layer, shape, count=None):
    return tuple(n // 2 for n in shape) if layer == "Dropout" else right_shape(layer, shape, count)


def right_shape(layer, shape, count):
    return layers_key.expected_shape(layer, shape, count)


def normalise_with(divisor, root=True):
    def normalise(values):
        mean = sum(values) / len(values)
        variance = sum((x - mean) ** 2 for x in values) / divisor(len(values))  # dirk: len(values) - 1
        if variance == 0:
            return [0 for x in values]
        return [(x - mean) / (variance ** 0.5 if root else variance) for x in values]
    return normalise


def not_divided(values):
    mean = sum(values) / len(values)
    return [x - mean for x in values]


def divides_by_zero(values):
    mean = sum(values) / len(values)
    variance = sum((x - mean) ** 2 for x in values) / len(values)
    return [(x - mean) / variance ** 0.5 for x in values]


def nan_when_constant(values):  # numpy's way: a warning and nan instead of ZeroDivisionError
    mean = sum(values) / len(values)
    deviation = (sum((x - mean) ** 2 for x in values) / len(values)) ** 0.5
    return [(x - mean) / deviation if deviation else float("nan") for x in values]


def keras_epsilon(values):
    mean = sum(values) / len(values)
    variance = sum((x - mean) ** 2 for x in values) / len(values)
    return [(x - mean) / (variance + 0.001) ** 0.5 for x in values]


def pooled(image, block, odd=False):
    step = range(0, len(image) - (0 if odd else 1), 2)
    return [[block([v for row in image[r:r + 2] for v in row[c:c + 2]])
             for c in range(0, len(image[0]) - (0 if odd else 1), 2)] for r in step]


def max_from_zero(values):
    best = 0
    for v in values:
        best = v if v > best else best
    return best


def convolve_with(kernel_of=lambda k: k, relu=False, padded=False):
    def convolve(image, kernel):
        kernel = kernel_of(kernel)
        if padded:
            image = [[0] * (len(image[0]) + 2)] + [[0, *row, 0] for row in image] + [[0] * (len(image[0]) + 2)]
        out = [[sum(image[r + i][c + j] * kernel[i][j] for i in range(3) for j in range(3))
                for c in range(len(image[0]) - 2)] for r in range(len(image) - 2)]
        return [[max(0, v) for v in row] for row in out] if relu else out
    return convolve


MISTAKES = [  # (task, function, the catalogue key of the tip it must get)
    ("shapes_conv_pool", conv_no_shrink, "assign.shape.tip.conv"),
    ("shapes_conv_pool", conv_keeps_channels, "assign.shape.tip.conv"),
    ("shapes_conv_pool", pool_rounds_up, "assign.shape.tip.pool"),
    ("shapes_conv_pool", pool_halves_channels, "assign.shape.tip.pool"),
    ("shapes_other", flatten_a_number, "assign.shape.not_a_shape"),
    ("shapes_other", flatten_forgets_channels, "assign.shape.tip.flatten"),
    ("shapes_other", dense_keeps_inputs, "assign.shape.tip.dense"),
    ("shapes_other", dropout_drops_some, "assign.shape.tip.same"),  # for BatchNormalization and Dropout
    ("conv2d_params", lambda f, k, c: k * k * c * f, "assign.params.conv_bias"),
    ("conv2d_params", lambda f, k, c: (k * k + 1) * f, "assign.params.conv_channels"),
    ("dense_params", lambda i, u: i * u, "assign.params.dense_bias"),
    ("normalise", normalise_with(lambda n: n - 1), "assign.normalise.sample_variance"),
    ("normalise", normalise_with(lambda n: n, root=False), "assign.normalise.no_sqrt"),
    ("normalise", not_divided, "assign.normalise.not_divided"),
    ("normalise", nan_when_constant, "assign.normalise.constant"),
    ("max_pool", lambda image: pooled(image, lambda v: sum(v) / 4), "assign.max_pool.average"),
    ("max_pool", lambda image: pooled(image, max, odd=True), "assign.max_pool.odd"),
    ("max_pool", lambda image: pooled(image, max_from_zero), "assign.max_pool.tip"),
    ("convolve", convolve_with(lambda k: [row[::-1] for row in k[::-1]]), "assign.convolve.flipped"),
    ("convolve", convolve_with(relu=True), "assign.convolve.relu"),
    ("convolve", convolve_with(padded=True), "assign.convolve.padding"),
]


def test_on_every_draw_the_right_answers_pass(draws, solutions, english):
    for grade_id in CALLS:
        answer = solutions[TASKS[grade_id].answer]
        failed = [n for n, inputs in enumerate(draws) if not judged(grade_id, answer, inputs).passed]
        assert not failed, (grade_id, failed[:5])
    assert all(judged("normalise", keras_epsilon, inputs).passed for inputs in draws)  # Keras' own epsilon


@pytest.mark.parametrize("grade_id, mistake, tip", MISTAKES, ids=[f"{m[0]}-{m[2].split('.')[-1]}" for m in MISTAKES])
def test_on_every_draw_each_typical_mistake_gets_its_tip(draws, english, grade_id, mistake, tip):
    layer = {"conv": "Conv2D", "pool": "MaxPooling2D", "flatten": "Flatten", "dense": "Dense", "same": "Dropout"}
    if tip == "assign.convolve.padding":  # it names the size of the right answer: the words before that
        text = catalogue()[tip]["en"].split("{")[0]
    else:
        text = say(tip, layer=layer.get(tip.split(".")[-1]))  # a shape tip names the layer type
    wrong = []
    for n, inputs in enumerate(draws):
        outcome = judged(grade_id, mistake, inputs)
        if outcome.passed or text not in outcome.message:
            wrong.append((n, outcome.message))
    assert not wrong, wrong[:3]


def test_dividing_by_zero_names_the_constant_list(draws, english):
    for inputs in draws[:50]:
        constant = next(values for (values,) in inputs["normalise"] if len(values) > 1 and len(set(values)) == 1)
        message = judged("normalise", divides_by_zero, inputs).message
        assert str(constant) in message and "ZeroDivisionError" in message


def test_a_call_that_would_hide_a_mistake_is_never_drawn(english):
    """The filter the draws pass through: inputs like these would let a mistake pass or get another tip."""
    assert names_its_mistakes("normalise", ([3, 5],), ("assign.normalise.no_sqrt",)) is False  # variance 1
    assert names_its_mistakes("normalise", ([10, 20],), ("assign.normalise.no_sqrt",)) is True
    symmetric = ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 1, 0], [1, 1, 1], [0, 1, 0]])
    assert names_its_mistakes("convolve", symmetric, ("assign.convolve.flipped",)) is False  # turned around: the same
    assert names_its_mistakes("convolve", symmetric) is True  # allowed where the flip need not show
    assert names_its_mistakes("max_pool", ([[3, 3], [3, 3]],), ("assign.max_pool.average",)) is False
