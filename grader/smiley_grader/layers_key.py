"""The `layers` tasks as the grader sees them: reference answers and the typical mistakes.

The student's functions are called in the kernel on the course's hidden inputs (drawn from
the course's secret: hidden_inputs.py; they reach the kernel through its environment, only
while grading) and the results are judged here, outside it, against plain arithmetic and
numpy. tests/grader checks that these references agree with Keras itself, and with the
examples written in the student package.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from smiley_checks.tasks.layers import CallsTask, network_layers
from smiley_checks.network import IMAGE_SHAPE


# --- reference answers ---

def expected_shape(kind: str, shape: tuple, count=None) -> tuple:
    if kind == "Conv2D":
        height, width, _ = shape
        return (height - 2, width - 2, count)
    if kind == "MaxPooling2D":
        height, width, depth = shape
        return (height // 2, width // 2, depth)
    if kind in ("BatchNormalization", "Dropout"):
        return tuple(shape)
    if kind == "Flatten":
        return (math.prod(shape),)
    if kind == "Dense":
        return (count,)
    raise ValueError(f"unknown layer type {kind!r}")


def network_shapes() -> list[tuple]:
    shapes, shape = [], IMAGE_SHAPE
    for kind, count in network_layers():
        shape = expected_shape(kind, shape, count)
        shapes.append(shape)
    return shapes


def conv2d_params(filters, kernel, channels) -> int:
    return (kernel * kernel * channels + 1) * filters


def dense_params(inputs, units) -> int:
    return (inputs + 1) * units


def normalise(values, epsilon: float = 0.0) -> list[float]:
    """(x - mean) / sqrt(variance + epsilon); all zeros when every number is the same."""
    values = [float(v) for v in values]
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    if variance + epsilon == 0:
        return [0.0 for _ in values]
    return [(v - mean) / math.sqrt(variance + epsilon) for v in values]


def max_pool(image) -> np.ndarray:
    array = np.asarray(image, dtype=float)
    rows, columns = array.shape[0] // 2, array.shape[1] // 2
    return array[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).max(axis=(1, 3))


def convolve(image, kernel) -> np.ndarray:
    """What Keras' Conv2D computes (no padding, stride 1, the filter not flipped, no bias)."""
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    rows, columns = image.shape[0] - 2, image.shape[1] - 2
    out = np.zeros((rows, columns))
    for r in range(rows):
        for c in range(columns):
            out[r, c] = float(np.sum(image[r: r + 3, c: c + 3] * kernel))
    return out


# --- the typical mistakes, to name them in the feedback ---

def _normalise_mistakes(values) -> list:
    values = [float(v) for v in values]
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / n
    if variance == 0:
        return []
    found = [([v - mean for v in values], "assign.normalise.not_divided"),
             ([(v - mean) / variance for v in values], "assign.normalise.no_sqrt")]
    if n > 1:
        found.insert(0, ([(v - mean) / math.sqrt(variance * n / (n - 1)) for v in values],
                         "assign.normalise.sample_variance"))
    return found


def _answer_and_mistakes(grade_id: str, args) -> tuple:
    """(the right answer, [(a typical mistake's answer, its tip key)], also-accepted answer or None)."""
    if grade_id in ("shapes_conv_pool", "shapes_other"):
        return expected_shape(*args), [], None
    if grade_id == "conv2d_params":
        filters, kernel, channels = args
        return conv2d_params(*args), [(kernel * kernel * channels * filters, "assign.params.conv_bias"),
                                      ((kernel * kernel + 1) * filters, "assign.params.conv_channels")], None
    if grade_id == "dense_params":
        inputs, units = args
        return dense_params(*args), [(inputs * units, "assign.params.dense_bias")], None
    if grade_id == "normalise":
        return normalise(args[0]), _normalise_mistakes(args[0]), normalise(args[0], epsilon=1e-3)
    if grade_id == "max_pool":
        image = np.asarray(args[0], dtype=float)
        rows, columns = image.shape[0] // 2, image.shape[1] // 2
        average = image[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).mean(axis=(1, 3))
        return max_pool(args[0]), [(average, "assign.max_pool.average")], None
    if grade_id == "convolve":
        right = convolve(*args)
        flipped = convolve(args[0], np.asarray(args[1], dtype=float)[::-1, ::-1])
        return right, [(flipped, "assign.convolve.flipped"), (np.maximum(right, 0), "assign.convolve.relu")], None
    raise KeyError(grade_id)


def judge(task, record: dict, inputs=None):
    """A layers record, judged on the course's hidden `inputs` for this task (or, for the network
    chain, which needs none, on the whole network)."""
    if not isinstance(task, CallsTask):
        outcome = task.judge(record, network_shapes())
        return replace(outcome, message="") if outcome.passed else outcome
    if inputs is None:
        raise ValueError(f"no hidden inputs for {task.grade_id}")  # the grader's bug, never the student's

    def tip_for(args, result):
        right, mistakes, also = _answer_and_mistakes(task.grade_id, args)
        return task.tip(args, result, right, mistakes, also)

    outcome = task.judge_calls(record, list(inputs), tip_for)
    return replace(outcome, message="") if outcome.passed else outcome  # the public "right for the examples" does not apply
