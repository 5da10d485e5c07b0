"""The `layers` assignment: students write small functions that do a layer's work.

The public check of a task calls the student's function on the examples the notebook
itself shows, whose right answers are written out below (together with the answers
that typical mistakes give, to name the mistake). The grader calls the function on
inputs the student has not seen: those inputs reach the kernel only while the grader
grades (`export(function, inputs)`), and their answers only exist in the grader. Both are judged by
the same `judge(record, key)`: the public key holds the examples (`public_key()`), the
grader's key the course's hidden inputs, reference answers and typical mistakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from smiley_checks.messages import say
from smiley_checks.network import BLOCK_FILTERS, IMAGE_SHAPE
from smiley_checks.tasks import answers
from smiley_checks.tasks.answers import as_shape, shape_text, show, short
from smiley_checks.tasks.declaration import Task, as_graded
from smiley_checks.tasks.key import TaskKey
from smiley_checks.tasks.records import call_record, failed, is_unanswered, not_attempted, passed, plain

ASSIGNMENT = "layers"


@dataclass(frozen=True)
class Example:
    args: tuple
    expected: object
    mistakes: tuple = ()  # (what a typical mistake returns, catalogue key of its tip)


def start_record(task: Task, function) -> tuple[dict, bool]:
    """The head of a task's record, and whether it is already complete (nothing to call)."""
    record = {"task": task.grade_id}
    if is_unanswered(function):
        return record | {"not_attempted": True}, True
    if not callable(function):
        return record | {"error": say("assign.not_a_function", name=task.answer, type=type(function).__name__)}, True
    return record, False


def _number_fallback(grade_id: str) -> str:
    return {"conv2d_params": "assign.params.conv_tip", "dense_params": "assign.params.dense_tip"}[grade_id]


@dataclass(frozen=True)
class CallsTask(Task):
    """A function judged by calling it: publicly on `examples`, by the grader on hidden inputs."""

    examples: tuple = ()  # Example(...) from the notebook
    kind: str = "shape"  # how a result is read: shape | number | numbers | grid
    result_text: Callable = short

    def call_text(self, args) -> str:
        return f"{self.answer}({', '.join(show(a) for a in args)})"

    def export(self, function, inputs=None) -> dict:
        """Call the function on `inputs` (default: the notebook's examples) and keep what it gave."""
        record, finished = start_record(self, function)
        if finished:
            return record
        cases = [example.args for example in self.examples] if inputs is None else inputs
        return record | {"calls": [call_record(function, tuple(args)) for args in cases]}

    def tip(self, args, result, expected, mistakes=(), also=None) -> str | None:
        """What is wrong with `result` for `args`, given the right answer; None when it is right."""
        if self.kind == "shape":
            return answers.shape_tip(args, result, expected)
        if self.kind == "number":
            return answers.number_tip(result, expected, mistakes, _number_fallback(self.grade_id))
        if self.kind == "numbers":
            return answers.numbers_tip(args, result, expected, mistakes, also)
        return answers.grid_tip(self.grade_id, args, result, expected, mistakes)

    def public_key(self) -> TaskKey:
        """The notebook's examples, with their right answers and typical mistakes written out above."""
        by_args = {repr(plain(e.args)): e for e in self.examples}

        def example(*args):
            return by_args[repr(plain(args))]

        return TaskKey(self.grade_id, answer=lambda *args: example(*args).expected,
                       mistakes=lambda *args: example(*args).mistakes,
                       calls=tuple(e.args for e in self.examples), public=True)

    def judge(self, record: dict, key: TaskKey, *, train: bool = True, cache=None):
        """The record of calls on `key.calls`, each result compared with `key.answer(*args)`; a wrong one is
        named by the first typical mistake it matches (`tip`)."""
        if record.get("not_attempted"):
            return not_attempted(say("assign.not_attempted", name=self.answer))
        if "error" in record:
            return failed(str(record["error"]))
        cases = list(key.calls)
        calls = record.get("calls")
        if not isinstance(calls, list) or len(calls) != len(cases) or any(
            not isinstance(call, dict) or call.get("args") != plain(tuple(args)) for call, args in zip(calls, cases)
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
            tip = self.tip(args, call["result"], key.answer(*args), key.mistakes(*args),
                           key.also(*args) if key.also else None)
            if tip:
                return failed(f"{say('assign.gave', call=text, got=self.result_text(call['result']))} {tip}")
        message = say("assign.public.passed" if len(cases) > 1 else "assign.public.passed_one", count=len(cases))
        return as_graded(passed(message=message), key)

    def check(self, function):
        return self.judge(self.export(function), self.public_key())


# --- 1. shapes ---

def network_layers() -> list[tuple[str, int | None]]:
    """The original network as (layer type, filters or units), without the input."""
    layers = []
    for filters in BLOCK_FILTERS:
        layers += [("Conv2D", filters), ("BatchNormalization", None), ("MaxPooling2D", None), ("Dropout", None)]
    return layers + [("Flatten", None), ("Dense", 16), ("Dropout", None), ("Dense", 2)]


def network_shapes() -> list[tuple]:
    """The output shape after each layer of the original network, as Keras says (the notebook's summary)."""
    from smiley_checks.inspection.describe import describe
    from smiley_checks.network import build_original

    return [tuple(layer.output_shape) for layer in describe(build_original(compiled=False)).layers]


@dataclass(frozen=True)
class ShapeChainTask(Task):
    """Follow the shape through the whole original network with the student's function.

    Public and hidden are the same here: the network is the one in the notebook's summary."""

    layers: tuple = field(default_factory=lambda: tuple(network_layers()))

    def export(self, function, inputs=None) -> dict:
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

    def public_key(self) -> TaskKey:
        return TaskKey(self.grade_id, answer=network_shapes, public=True)  # Keras's own summary of the network

    def judge(self, record: dict, key: TaskKey, *, train: bool = True, cache=None):
        """`key.answer()`: the shape after each layer of the original network."""
        outcome = self._judge_shapes(record, key.answer())
        return as_graded(outcome, key)

    def _judge_shapes(self, record: dict, shapes: list[tuple]):
        if record.get("not_attempted"):
            return not_attempted(say("assign.not_attempted", name=self.answer))
        if "error" in record:
            return failed(str(record["error"]))
        calls = record.get("calls")
        if not isinstance(calls, list) or not calls or len(calls) > len(self.layers):
            return failed(say("assign.record_mismatch"))
        before = IMAGE_SHAPE
        for number, ((kind, count), expected, call) in enumerate(zip(self.layers, shapes, calls), 1):
            if not isinstance(call, dict) or call.get("args") != plain((kind, before, count)):
                return failed(say("assign.record_mismatch"))
            text = f"{self.answer}({show(kind)}, {show(before)}, {show(count)})"
            if "error" in call:
                return failed(say("assign.raised", call=text, error=call["error"]))
            if call.get("result") is None:
                return failed(say("assign.returned_none", call=text))
            if as_shape(call.get("result")) != expected:
                return failed(say("assign.shape.network", number=number, layer=kind, before=show(before),
                                  got=shape_text(call.get("result")), expected=show(expected)))
            before = expected
        if len(calls) != len(self.layers):
            return failed(say("assign.record_mismatch"))
        return passed(message=say("assign.public.network"))

    def check(self, function):
        return self.judge(self.export(function), self.public_key())


SHAPES_CONV_POOL = CallsTask(
    "shapes_conv_pool", ASSIGNMENT, "output_shape", points=2, kind="shape", result_text=shape_text,
    examples=(Example(("Conv2D", (110, 110, 1), 1), (108, 108, 1)),
              Example(("MaxPooling2D", (108, 108, 1), None), (54, 54, 1))),
)
SHAPES_OTHER = CallsTask(
    "shapes_other", ASSIGNMENT, "output_shape", points=2, kind="shape", result_text=shape_text,
    examples=(Example(("BatchNormalization", (108, 108, 1), None), (108, 108, 1)),
              Example(("Flatten", (1, 1, 16), None), (16,)),
              Example(("Dense", (16,), 16), (16,))),
)
SHAPES_NETWORK = ShapeChainTask("shapes_network", ASSIGNMENT, "output_shape", points=1)
CONV2D_PARAMS = CallsTask(
    "conv2d_params", ASSIGNMENT, "conv2d_params", points=2, kind="number",
    examples=(Example((1, 3, 1), 10, ((9, "assign.params.conv_bias"),)),
              Example((16, 3, 8), 1168, ((1152, "assign.params.conv_bias"), (160, "assign.params.conv_channels")))),
)
DENSE_PARAMS = CallsTask(
    "dense_params", ASSIGNMENT, "dense_params", points=2, kind="number",
    examples=(Example((16, 16), 272, ((256, "assign.params.dense_bias"),)),
              Example((16, 2), 34, ((32, "assign.params.dense_bias"),))),
)
NORMALISE = CallsTask(
    "normalise", ASSIGNMENT, "normalise", points=3, kind="numbers",
    examples=(
        Example(([5, 3, 2, 1, 9],), [0.353553, -0.353553, -0.707107, -1.06066, 1.767767], (
            ([0.316228, -0.316228, -0.632456, -0.948683, 1.581139], "assign.normalise.sample_variance"),
            ([0.125, -0.125, -0.25, -0.375, 0.625], "assign.normalise.no_sqrt"),
            ([1.0, -1.0, -2.0, -3.0, 5.0], "assign.normalise.not_divided"))),
        Example(([-2, 4, -3, -1, 2, 0],), [-0.840168, 1.680336, -1.260252, -0.420084, 0.840168, 0.0], (
            ([-0.766965, 1.53393, -1.150447, -0.383482, 0.766965, 0.0], "assign.normalise.sample_variance"),
            ([-0.352941, 0.705882, -0.529412, -0.176471, 0.352941, 0.0], "assign.normalise.no_sqrt"),
            ([-2.0, 4.0, -3.0, -1.0, 2.0, 0.0], "assign.normalise.not_divided"))),
        Example(([1, 1, 1, 1],), [0.0, 0.0, 0.0, 0.0]),
    ),
)
MAX_POOL = CallsTask(
    "max_pool", ASSIGNMENT, "max_pool", points=2, kind="grid",
    examples=(Example(([[1, 2, 0, 3], [4, 0, 1, 1], [0, 5, 2, 2], [1, 1, 3, 0]],), [[4, 3], [5, 3]],
                      (([[1.75, 1.25], [1.75, 1.75]], "assign.max_pool.average"),)),),
)
CONVOLVE = CallsTask(
    "convolve", ASSIGNMENT, "convolve", points=3, kind="grid",
    examples=(Example(([[0, 0, 255, 255], [0, 0, 255, 255], [0, 0, 255, 255], [0, 0, 255, 255]],
                       [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]), [[765, 765], [765, 765]],
                      (([[-765, -765], [-765, -765]], "assign.convolve.flipped"),)),),
)

TASKS = (SHAPES_CONV_POOL, SHAPES_OTHER, SHAPES_NETWORK, CONV2D_PARAMS, DENSE_PARAMS, NORMALISE, MAX_POOL, CONVOLVE)
