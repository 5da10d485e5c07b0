"""The `layers` assignment: students write small functions; we call them on inputs they
have not seen and compare with what Keras does.

Each task has `examples` (from the lesson, used by the public check in the notebook)
and hidden `inputs` (used by the hidden tests). The reference answers are computed
here with plain arithmetic and numpy; in the student's kernel the hidden tests compare
with Keras itself (`keras_reference=True`), and tests/assignments checks both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from smiley_checks.grading.records import call_record, failed, is_unanswered, passed, plain
from smiley_checks.messages import say
from smiley_checks.network import BLOCK_FILTERS, IMAGE_SHAPE

ASSIGNMENT = "layers"
SAME_SHAPE = ("BatchNormalization", "Dropout")
TOLERANCE = 1e-3


# --- how arguments and results are written in messages ---

def show(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "(" + ", ".join(show(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    return str(value)


def short(value, limit: int = 120) -> str:
    text = show(value) if isinstance(value, (list, tuple, str, int, float)) or value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading what a student's function returned (after records.plain) ---

def as_number(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return float(value)
    return None


def as_numbers(value) -> list[float] | None:
    if not isinstance(value, list):
        return None
    numbers = [as_number(v) for v in value]
    return None if any(n is None for n in numbers) else numbers


def as_matrix(value) -> np.ndarray | None:
    """A rectangular list of lists of numbers as a float array."""
    if not isinstance(value, list) or not value or not all(isinstance(row, list) for row in value):
        return None
    rows = [as_numbers(row) for row in value]
    if any(row is None for row in rows) or len({len(row) for row in rows}) != 1 or not rows[0]:
        return None
    return np.array(rows, dtype=float)


def as_whole_number(value) -> int | None:
    number = as_number(value)
    if number is None or not math.isfinite(number) or number != int(number):
        return None
    return int(number)


def as_shape(value) -> tuple | None:
    if not isinstance(value, list) or not value:
        return None
    numbers = [as_whole_number(v) for v in value]
    return None if any(n is None for n in numbers) else tuple(numbers)


# --- the tasks ---

def start_record(task, function) -> tuple[dict, bool]:
    """The head of a task's record, and whether it is already complete (nothing to call)."""
    record = {"task": task.name}
    if is_unanswered(function):
        return record | {"not_attempted": True}, True
    if not callable(function):
        return record | {"error": say("assign.not_a_function", name=task.function, type=type(function).__name__)}, True
    return record, False


@dataclass(frozen=True)
class CallsTask:
    """A function the student writes; judged by calling it on fixed inputs."""

    name: str  # the grade_id of its hidden test cell
    function: str  # the function's name in the notebook
    examples: tuple  # argument tuples from the lesson (public check)
    inputs: tuple  # argument tuples the student has not seen (hidden tests)
    check: Callable  # (args, result, keras_reference) -> tip sentence, or None when right
    assignment: str = ASSIGNMENT
    needs_keras: bool = False  # only the in-kernel Keras comparison needs it
    result_text: Callable = short  # how a result is written in a message

    def call_text(self, args) -> str:
        return f"{self.function}({', '.join(show(a) for a in args)})"

    def cases(self, public: bool = False) -> tuple:
        return self.examples if public else self.inputs

    def export(self, function, public: bool = False) -> dict:
        record, finished = start_record(self, function)
        if finished:
            return record
        return record | {"calls": [call_record(function, args) for args in self.cases(public)]}

    def judge(self, record: dict, *, train: bool = True, keras_reference: bool = False, public: bool = False):
        if record.get("not_attempted"):
            return failed(say("assign.not_attempted", name=self.function))
        if "error" in record:
            return failed(str(record["error"]))
        cases = self.cases(public)
        calls = record.get("calls")
        if not isinstance(calls, list) or len(calls) != len(cases) or any(
            not isinstance(call, dict) or call.get("args") != plain(args) for call, args in zip(calls, cases)
        ):
            return failed(say("assign.record_mismatch"))
        for args, call in zip(cases, calls):
            text = self.call_text(args)
            if "error" in call:
                return failed(say("assign.raised", call=text, error=call["error"]))
            if call.get("too_big"):
                return failed(say("assign.too_big", call=text))
            if call.get("result") is None:
                return failed(say("assign.returned_none", call=text))
            tip = self.check(args, call["result"], keras_reference)
            if tip:
                return failed(f"{say('assign.gave', call=text, got=self.result_text(call['result']))} {tip}")
        return passed()


# --- 1. shapes ---

def expected_shape(kind: str, shape: tuple, count=None) -> tuple:
    if kind == "Conv2D":
        height, width, _ = shape
        return (height - 2, width - 2, count)
    if kind == "MaxPooling2D":
        height, width, depth = shape
        return (height // 2, width // 2, depth)
    if kind in SAME_SHAPE:
        return tuple(shape)
    if kind == "Flatten":
        return (math.prod(shape),)
    if kind == "Dense":
        return (count,)
    raise ValueError(f"unknown layer type {kind!r}")


def keras_layer(kind: str, count=None):
    from smiley_checks.keras_env import keras

    return {
        "Conv2D": lambda: keras.layers.Conv2D(count, (3, 3), activation="relu"),
        "MaxPooling2D": lambda: keras.layers.MaxPooling2D((2, 2)),
        "BatchNormalization": keras.layers.BatchNormalization,
        "Dropout": lambda: keras.layers.Dropout(0.1),
        "Flatten": keras.layers.Flatten,
        "Dense": lambda: keras.layers.Dense(count),
    }[kind]()


def keras_shape(kind: str, shape: tuple, count=None) -> tuple:
    """What Keras itself says the layer makes of an input of this shape."""
    return tuple(int(v) for v in keras_layer(kind, count).compute_output_shape((None, *shape))[1:])


def shape_text(result) -> str:
    shape = as_shape(result)
    return show(shape) if shape else short(result)


def _check_shape(args, result, keras_reference: bool) -> str | None:
    kind, shape, count = args
    got = as_shape(result)
    if got is None:
        return say("assign.shape.not_a_shape")
    expected = keras_shape(kind, shape, count) if keras_reference else expected_shape(kind, shape, count)
    if got == expected:
        return None
    tip = {"Conv2D": "conv", "MaxPooling2D": "pool", "Flatten": "flatten", "Dense": "dense"}.get(kind, "same")
    return say(f"assign.shape.tip.{tip}", layer=kind)


SHAPES_CONV_POOL = CallsTask(
    name="shapes_conv_pool",
    function="output_shape",
    examples=(("Conv2D", (110, 110, 1), 1), ("MaxPooling2D", (108, 108, 1), None)),
    inputs=(
        ("Conv2D", (64, 40, 3), 7),
        ("Conv2D", (5, 5, 1), 2),
        ("Conv2D", (3, 3, 8), 4),
        ("MaxPooling2D", (62, 38, 7), None),
        ("MaxPooling2D", (9, 9, 2), None),
        ("MaxPooling2D", (3, 3, 16), None),
        ("Conv2D", (52, 52, 1), 2),
    ),
    check=_check_shape,
    result_text=shape_text,
)
SHAPES_OTHER = CallsTask(
    name="shapes_other",
    function="output_shape",
    examples=(("BatchNormalization", (108, 108, 1), None), ("Flatten", (1, 1, 16), None), ("Dense", (16,), 16)),
    inputs=(
        ("BatchNormalization", (31, 19, 7), None),
        ("Dropout", (7, 7, 4), None),
        ("Dropout", (16,), None),
        ("Flatten", (3, 3, 8), None),
        ("Flatten", (5, 2, 3), None),
        ("Dense", (72,), 10),
        ("Dense", (30,), 2),
    ),
    check=_check_shape,
    result_text=shape_text,
)


def network_layers() -> list[tuple[str, int | None]]:
    """The original network as (layer type, filters or units), without the input."""
    layers = []
    for filters in BLOCK_FILTERS:
        layers += [("Conv2D", filters), ("BatchNormalization", None), ("MaxPooling2D", None), ("Dropout", None)]
    return layers + [("Flatten", None), ("Dense", 16), ("Dropout", None), ("Dense", 2)]


def network_shapes(keras_reference: bool = False) -> list[tuple]:
    """The output shape after each layer of the original network."""
    if keras_reference:
        from smiley_checks.inspection.describe import describe
        from smiley_checks.network import build_original

        return [tuple(layer.output_shape) for layer in describe(build_original(compiled=False)).layers]
    shapes, shape = [], IMAGE_SHAPE
    for kind, count in network_layers():
        shape = expected_shape(kind, shape, count)
        shapes.append(shape)
    return shapes


@dataclass(frozen=True)
class ShapeChainTask:
    """Follow the shape through the whole original network with the student's function."""

    name: str = "shapes_network"
    function: str = "output_shape"
    assignment: str = ASSIGNMENT
    needs_keras: bool = False
    layers: tuple = field(default_factory=lambda: tuple(network_layers()))

    def export(self, function, public: bool = False) -> dict:
        record, finished = start_record(self, function)
        if finished:
            return record
        calls, shape = [], IMAGE_SHAPE
        for kind, count in self.layers:
            call = call_record(function, (kind, shape, count))
            calls.append(call)
            shape = as_shape(call.get("result"))
            if shape is None:
                break
        return record | {"calls": calls}

    def judge(self, record: dict, *, train: bool = True, keras_reference: bool = False, public: bool = False):
        if record.get("not_attempted"):
            return failed(say("assign.not_attempted", name=self.function))
        if "error" in record:
            return failed(str(record["error"]))
        calls = record.get("calls")
        if not isinstance(calls, list) or not calls or len(calls) > len(self.layers):
            return failed(say("assign.record_mismatch"))
        before = IMAGE_SHAPE
        for number, ((kind, count), expected, call) in enumerate(zip(self.layers, network_shapes(keras_reference), calls), 1):
            if not isinstance(call, dict) or call.get("args") != plain((kind, before, count)):
                return failed(say("assign.record_mismatch"))
            text = f"{self.function}({show(kind)}, {show(before)}, {show(count)})"
            if "error" in call:
                return failed(say("assign.raised", call=text, error=call["error"]))
            if call.get("result") is None:
                return failed(say("assign.returned_none", call=text))
            got = as_shape(call.get("result"))
            if got != expected:
                return failed(say("assign.shape.network", number=number, layer=kind, before=show(before),
                                  got=shape_text(call.get("result")), expected=show(expected)))
            before = expected
        if len(calls) != len(self.layers):
            return failed(say("assign.record_mismatch"))
        return passed()


SHAPES_NETWORK = ShapeChainTask()


# --- 2. parameters ---

def conv2d_params_reference(filters, kernel, channels) -> int:
    return (kernel * kernel * channels + 1) * filters


def dense_params_reference(inputs, units) -> int:
    return (inputs + 1) * units


def _keras_params(layer, input_shape) -> int:
    layer.build((None, *input_shape))
    return int(layer.count_params())


def _check_conv2d_params(args, result, keras_reference: bool) -> str | None:
    filters, kernel, channels = args
    got = as_whole_number(result)
    if got is None:
        return say("assign.params.not_a_number")
    if keras_reference:
        from smiley_checks.keras_env import keras

        expected = _keras_params(keras.layers.Conv2D(filters, (kernel, kernel)), (kernel + 1, kernel + 1, channels))
    else:
        expected = conv2d_params_reference(filters, kernel, channels)
    if got == expected:
        return None
    if got == kernel * kernel * channels * filters:
        return say("assign.params.conv_bias")
    if got == (kernel * kernel + 1) * filters:
        return say("assign.params.conv_channels")
    return say("assign.params.conv_tip")


def _check_dense_params(args, result, keras_reference: bool) -> str | None:
    inputs, units = args
    got = as_whole_number(result)
    if got is None:
        return say("assign.params.not_a_number")
    if keras_reference:
        from smiley_checks.keras_env import keras

        expected = _keras_params(keras.layers.Dense(units), (inputs,))
    else:
        expected = dense_params_reference(inputs, units)
    if got == expected:
        return None
    if got == inputs * units:
        return say("assign.params.dense_bias")
    return say("assign.params.dense_tip")


CONV2D_PARAMS = CallsTask(
    name="conv2d_params",
    function="conv2d_params",
    examples=((1, 3, 1), (16, 3, 8)),
    inputs=((2, 3, 1), (7, 5, 3), (32, 3, 16), (10, 2, 4), (1, 1, 1)),
    check=_check_conv2d_params,
    needs_keras=True,
)
DENSE_PARAMS = CallsTask(
    name="dense_params",
    function="dense_params",
    examples=((16, 16), (16, 2)),
    inputs=((10, 3), (100, 1), (3, 7), (12100, 16), (1, 1)),
    check=_check_dense_params,
    needs_keras=True,
)


# --- 3. batch normalisation by hand ---

def normalise_reference(values, epsilon: float = 0.0) -> list[float]:
    """(x - mean) / sqrt(variance + epsilon); all zeros when every number is the same."""
    values = [float(v) for v in values]
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    if variance + epsilon == 0:
        return [0.0 for _ in values]
    return [(v - mean) / math.sqrt(variance + epsilon) for v in values]


def _close(got, expected, tolerance: float = TOLERANCE) -> bool:
    return len(got) == len(expected) and all(
        math.isfinite(g) and abs(g - e) <= tolerance for g, e in zip(got, expected)
    )


def _check_normalise(args, result, keras_reference: bool) -> str | None:
    values = [float(v) for v in args[0]]
    got = as_numbers(result)
    if got is None:
        return say("assign.normalise.not_a_list")
    if len(got) != len(values):
        return say("assign.normalise.length", count=len(values))
    exact, keras_like = normalise_reference(values), normalise_reference(values, epsilon=1e-3)
    # Any small epsilon is fine (Keras adds 0.001 to the variance): between the two answers.
    if all(math.isfinite(g) and min(a, b) - TOLERANCE <= g <= max(a, b) + TOLERANCE
           for g, a, b in zip(got, exact, keras_like)):
        return None
    n = len(values)
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / n
    if variance == 0:
        return say("assign.normalise.constant")
    if n > 1 and _close(got, [(v - mean) / math.sqrt(variance * n / (n - 1)) for v in values]):
        return say("assign.normalise.sample_variance")
    if _close(got, [(v - mean) / variance for v in values]):
        return say("assign.normalise.no_sqrt")
    if _close(got, [v - mean for v in values]):
        return say("assign.normalise.not_divided")
    return say("assign.normalise.tip")


NORMALISE = CallsTask(
    name="normalise",
    function="normalise",
    examples=(([5, 3, 2, 1, 9],), ([-2, 4, -3, -1, 2, 0],), ([1, 1, 1, 1],)),
    inputs=(
        ([10, 20],),
        ([0.5, 0.25, 1.0, 0.75],),
        ([7, 7, 7],),
        ([4],),
        ([100, -100, 0, 50, -50, 3, 3],),
        ([2, 4, 4, 4, 5, 5, 7, 9],),
    ),
    check=_check_normalise,
)


# --- 4. max pooling ---

def max_pool_reference(image) -> np.ndarray:
    array = np.asarray(image, dtype=float)
    rows, columns = array.shape[0] // 2, array.shape[1] // 2
    return array[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).max(axis=(1, 3))


def keras_max_pool(image) -> np.ndarray:
    from smiley_checks.keras_env import keras

    array = np.asarray(image, dtype="float32")[None, :, :, None]
    return np.asarray(keras.layers.MaxPooling2D((2, 2))(array))[0, :, :, 0].astype(float)


def _check_max_pool(args, result, keras_reference: bool) -> str | None:
    image = np.asarray(args[0], dtype=float)
    got = as_matrix(result)
    if got is None:
        return say("assign.grid.not_a_grid")
    expected = keras_max_pool(args[0]) if keras_reference else max_pool_reference(args[0])
    if got.shape != expected.shape:
        if got.shape == (math.ceil(image.shape[0] / 2), math.ceil(image.shape[1] / 2)):
            return say("assign.max_pool.odd")
        return say("assign.max_pool.size", rows=expected.shape[0], columns=expected.shape[1])
    if np.allclose(got, expected, atol=TOLERANCE):
        return None
    rows, columns = expected.shape
    average = image[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).mean(axis=(1, 3))
    if np.allclose(got, average, atol=TOLERANCE):
        return say("assign.max_pool.average")
    return say("assign.max_pool.tip")


MAX_POOL = CallsTask(
    name="max_pool",
    function="max_pool",
    examples=(([[1, 2, 0, 3], [4, 0, 1, 1], [0, 5, 2, 2], [1, 1, 3, 0]],),),
    inputs=(
        ([[1, 2], [3, 4]],),
        ([[-1, -5, 3, 0, 2, 2], [-2, -3, 1, 1, 7, 0], [0, 0, -4, -4, 1, 9], [6, -1, -2, -8, 3, 3]],),
        ([[1, 0, 2, 0, 3], [0, 4, 0, 5, 0], [6, 0, 7, 0, 8], [0, 9, 0, 1, 0], [2, 0, 3, 0, 4]],),
        ([[0, 255, 255, 0], [255, 0, 0, 0], [0, 0, 255, 255]],),
        ([[0.5, 0.25], [0.75, 1.5], [-0.5, 2.5], [1.0, 0.0], [3.0, 3.0], [3.0, 3.0]],),
    ),
    check=_check_max_pool,
    needs_keras=True,
)


# --- 5. a 3x3 convolution ---

def convolve_reference(image, kernel) -> np.ndarray:
    """What Keras' Conv2D computes (no padding, stride 1, the filter not flipped, no bias)."""
    image, kernel = np.asarray(image, dtype=float), np.asarray(kernel, dtype=float)
    rows, columns = image.shape[0] - 2, image.shape[1] - 2
    out = np.zeros((rows, columns))
    for r in range(rows):
        for c in range(columns):
            out[r, c] = float(np.sum(image[r: r + 3, c: c + 3] * kernel))
    return out


def keras_convolve(image, kernel) -> np.ndarray:
    """Build a Keras Conv2D with this 3x3 filter and apply it to the image."""
    from smiley_checks.keras_env import keras

    layer = keras.layers.Conv2D(1, (3, 3), use_bias=False)
    array = np.asarray(image, dtype="float32")[None, :, :, None]
    layer.build(array.shape)
    layer.set_weights([np.asarray(kernel, dtype="float32").reshape(3, 3, 1, 1)])
    return np.asarray(layer(array))[0, :, :, 0].astype(float)


def _check_convolve(args, result, keras_reference: bool) -> str | None:
    image, kernel = np.asarray(args[0], dtype=float), np.asarray(args[1], dtype=float)
    got = as_matrix(result)
    if got is None:
        return say("assign.grid.not_a_grid")
    expected = keras_convolve(*args) if keras_reference else convolve_reference(*args)
    if got.shape != expected.shape:
        if got.shape == image.shape:
            return say("assign.convolve.padding", rows=expected.shape[0], columns=expected.shape[1])
        return say("assign.convolve.size", rows=expected.shape[0], columns=expected.shape[1])
    scale = max(1.0, float(np.abs(expected).max()))
    if np.allclose(got, expected, atol=TOLERANCE * scale):
        return None
    if np.allclose(got, convolve_reference(image, kernel[::-1, ::-1]), atol=TOLERANCE * scale):
        return say("assign.convolve.flipped")
    if np.allclose(got, np.maximum(expected, 0), atol=TOLERANCE * scale):
        return say("assign.convolve.relu")
    return say("assign.convolve.tip")


CONVOLVE = CallsTask(
    name="convolve",
    function="convolve",
    examples=(
        ([[0, 0, 255, 255], [0, 0, 255, 255], [0, 0, 255, 255], [0, 0, 255, 255]],
         [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
    ),
    inputs=(
        ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0, 0], [0, 0, 0], [0, 0, 2]]),
        ([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [1, 0, 1, 0, 1], [2, 2, 2, 2, 2], [9, 8, 7, 6, 5]],
         [[1, 2, 0], [0, -1, 0], [3, 0, 0]]),
        ([[255, 0, 255, 0, 255, 0], [0, 255, 0, 255, 0, 255], [255, 255, 255, 0, 0, 0], [0, 0, 0, 255, 255, 255]],
         [[0, -1, 0], [-1, 4, -1], [0, -1, 0]]),
        ([[0.5, 1.0, 0.0, 2.0, 1.5], [1.0, 0.0, 1.0, 0.0, 1.0], [2.0, 1.0, 0.5, 0.5, 0.0],
          [0.0, 0.0, 3.0, 1.0, 1.0], [1.0, 2.0, 1.0, 0.0, 0.5], [0.0, 1.0, 0.0, 1.0, 0.0]],
         [[0.5, 0.0, -0.5], [1.0, 0.0, -1.0], [0.25, 0.0, 0.0]]),
    ),
    check=_check_convolve,
    needs_keras=True,
)

TASKS = (SHAPES_CONV_POOL, SHAPES_OTHER, SHAPES_NETWORK, CONV2D_PARAMS, DENSE_PARAMS, NORMALISE, MAX_POOL, CONVOLVE)
