"""The `layers` tasks' reference answers and typical mistakes, which keys.py puts in each task's key.

The student's functions are called in the kernel on the course's hidden inputs (drawn from
the course's secret: hidden_inputs.py; they reach the kernel through its environment, only
while grading) and the results are judged outside it, by the task's judge with its key, against
plain arithmetic and numpy. tests/grader checks that these references agree with Keras itself, and with the
examples written in the student package.
"""

from __future__ import annotations

import math

import numpy as np

from smiley_checks.network import IMAGE_SHAPE
from smiley_checks.tasks.layers import network_layers


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


def normalise_keras(values) -> list[float]:
    """normalise as Keras' BatchNormalization does it, with its small epsilon: also right."""
    return normalise(values, epsilon=1e-3)


# --- the typical mistakes, to name them in the feedback: (what the mistake gives, its tip's key) ---

def conv2d_params_mistakes(filters, kernel, channels) -> list:
    return [(kernel * kernel * channels * filters, "assign.params.conv_bias"),
            ((kernel * kernel + 1) * filters, "assign.params.conv_channels")]


def dense_params_mistakes(inputs, units) -> list:
    return [(inputs * units, "assign.params.dense_bias")]


def normalise_mistakes(values) -> list:
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


def max_pool_mistakes(image) -> list:
    image = np.asarray(image, dtype=float)
    rows, columns = image.shape[0] // 2, image.shape[1] // 2
    average = image[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).mean(axis=(1, 3))
    return [(average, "assign.max_pool.average")]


def convolve_mistakes(image, kernel) -> list:
    right = convolve(image, kernel)
    flipped = convolve(image, np.asarray(kernel, dtype=float)[::-1, ::-1])
    return [(flipped, "assign.convolve.flipped"), (np.maximum(right, 0), "assign.convolve.relu")]
