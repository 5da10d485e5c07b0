"""The `layers` tasks' hidden inputs, drawn from the course's secret (course_secret.py).

    inputs = draw(secret)        # {grade_id: ((args of call 1), (args of call 2), ...)}

Each task's key (keys.py) names the function here that draws its calls (`<grade_id>_calls`).

The same secret always gives the same inputs; another secret (another course, or a new school
year) gives other ones. Each task has the same calls, in the same order, as the fixed inputs it
had before (issue 21), and each call keeps its purpose; only the numbers are drawn:

- shapes: a Conv2D whose height, width, channels and filters all differ (a swap or "kept the
  channels" shows); a picture that becomes 1x1; MaxPooling2D on even and on odd sizes (the odd one
  shows rounding up); Flatten with more than one channel; Dense with units other than its inputs.
- parameters: bias visible in every call; more than one input channel in most (then forgetting
  the channels shows); the edge case (1, 1, 1).
- normalise: two numbers, quarter steps, a constant list (variance 0: dividing by zero shows),
  one number, negatives with a repeated value, a longer list. Every list that is not constant
  tells the n - 1 variance, the missing square root and the missing division apart.
- max_pool: a block of only negative numbers (a maximum that starts at 0 shows), odd sizes
  (rounding up shows), a constant block; the average differs in every grid.
- convolve: filters that are not the same turned around (a flipped filter shows), and answers
  with negative numbers (an added ReLU shows); one symmetric edge filter, as in the lesson.

A drawn call is kept only when the typical mistakes it must show are each named by their own tip
(`names_its_mistakes`, the judge's own tip code); tests/grader/test_hidden_inputs.py checks 200
secrets with the mistakes written as students write them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

import numpy as np

from smiley_checks.messages import say
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.records import plain

MAX_TRIES = 10_000
SEED_LABEL = "smiley layers hidden inputs"


def _rng(secret: bytes, grade_id: str) -> np.random.Generator:
    """One stream per task (a task's calls never shift another's), seeded by an HMAC of the secret."""
    digest = hmac.new(secret, f"{SEED_LABEL}/{grade_id}".encode(), hashlib.sha256).digest()
    return np.random.Generator(np.random.PCG64(int.from_bytes(digest, "big")))


def _int(rng, low: int, high: int) -> int:
    """A whole number from low to high (both included), as a plain Python int."""
    return int(rng.integers(low, high + 1))


def _pick(rng, choices):
    return choices[int(rng.integers(len(choices)))]


def _two_different(rng, low: int, high: int) -> tuple[int, int]:
    first = _int(rng, low, high)
    second = _int(rng, low, high - 1)
    return first, second + (second >= first)


def _other_than(rng, low: int, high: int, avoid: int) -> int:
    value = _int(rng, low, high - 1 if low <= avoid <= high else high)
    return value + (low <= avoid <= value)


def names_its_mistakes(grade_id: str, args, visible=()) -> bool:
    """Whether, on `args`, the right answer passes and each typical mistake either passes too or gets
    its own tip; those named in `visible` must not pass."""
    from smiley_grader.keys import KEYS  # keys.py imports this module for the draws

    task, key = TASKS[grade_id], KEYS[grade_id]
    right, mistakes = key.answer(*args), key.mistakes(*args)
    also = key.also(*args) if key.also else None
    if task.tip(args, plain(right), right, mistakes, also) is not None:
        return False
    for value, key in mistakes:
        tip = task.tip(args, plain(value), right, mistakes, also)
        if tip is None and key not in visible:
            continue
        if tip != say(key):
            return False
    return True


def _kept(rng, grade_id: str, make: Callable, visible=()) -> tuple:
    for _ in range(MAX_TRIES):
        args = make(rng)
        if names_its_mistakes(grade_id, args, visible):
            return args
    raise RuntimeError(f"no hidden input for {grade_id} after {MAX_TRIES} draws")  # a bug here, never the secret


# --- one function per task: its calls, in order ---

def shapes_conv_pool_calls(rng) -> tuple:
    height, width = _two_different(rng, 20, 80)
    channels = _int(rng, 3, 8)
    small = _int(rng, 4, 9)
    deep = _int(rng, 4, 16)
    half_height, half_width = _two_different(rng, 10, 40)
    odd = 2 * _int(rng, 2, 7) + 1
    return (
        ("Conv2D", (height, width, channels), _other_than(rng, 2, 16, channels)),
        ("Conv2D", (small, small, 1), _int(rng, 2, 8)),
        ("Conv2D", (3, 3, deep), _other_than(rng, 2, 8, deep)),  # becomes 1x1
        ("MaxPooling2D", (2 * half_height, 2 * half_width, _int(rng, 2, 12)), None),
        ("MaxPooling2D", (odd, odd, _int(rng, 2, 4)), None),  # rounding up shows
        ("MaxPooling2D", (_pick(rng, (2, 3)), 3, _int(rng, 8, 32)), None),  # becomes 1x1
        ("Conv2D", (_int(rng, 30, 60),) * 2 + (1,), _int(rng, 2, 4)),
    )


def shapes_other_calls(rng) -> tuple:
    flat_height, flat_width = _two_different(rng, 2, 8)
    inputs = _int(rng, 20, 100)
    return (
        ("BatchNormalization", (_int(rng, 10, 40), _int(rng, 10, 40), _int(rng, 2, 16)), None),
        ("Dropout", (_int(rng, 3, 12),) * 2 + (_int(rng, 2, 8),), None),
        ("Dropout", (_int(rng, 8, 64),), None),
        ("Flatten", (_int(rng, 2, 5),) * 2 + (_int(rng, 2, 16),), None),
        ("Flatten", (flat_height, flat_width, _int(rng, 2, 5)), None),
        ("Dense", (inputs,), _other_than(rng, 3, 16, inputs)),
        ("Dense", (_int(rng, 10, 50),), 2),
    )


def conv2d_params_calls(rng) -> tuple:
    return (
        (_int(rng, 2, 8), 3, 1),
        (_int(rng, 3, 12), _pick(rng, (5, 7)), _int(rng, 2, 4)),
        (_pick(rng, (16, 32, 64)), 3, _pick(rng, (12, 16, 24, 32))),  # never the lesson's (16, 3, 8)
        (_int(rng, 5, 12), 2, _int(rng, 3, 6)),
        (1, 1, 1),
    )


def dense_params_calls(rng) -> tuple:
    side = _int(rng, 5, 12)
    return (
        (_other_than(rng, 5, 20, 16), _int(rng, 2, 4)),  # never the lesson's (16, 2)
        (_int(rng, 50, 200), 1),
        (_int(rng, 2, 5), _int(rng, 6, 10)),
        (side * side * _pick(rng, (16, 32, 64, 100)), _pick(rng, (8, 16, 32))),  # a network's Flatten
        (1, 1),
    )


NORMALISE_MISTAKES = ("assign.normalise.sample_variance", "assign.normalise.no_sqrt", "assign.normalise.not_divided")


def normalise_calls(rng) -> tuple:
    def two(rng):
        low = _int(rng, 0, 46)
        return ([low, _int(rng, low + 4, 50)][:: _pick(rng, (1, -1))],)

    def quarters(rng):
        return ([float(v) / 4 for v in rng.choice(9, size=4, replace=False)],)

    def signed(rng):
        repeated = _int(rng, -9, 9)
        values = [_int(rng, 20, 100), -_int(rng, 20, 100), _int(rng, -100, 100), _int(rng, -100, 100),
                  _int(rng, -100, 100), repeated, repeated]
        return ([int(v) for v in rng.permutation(values)],)

    def longer(rng):
        return ([_int(rng, 0, 10) for _ in range(8)],)

    constant = _int(rng, 1, 20)
    return (
        _kept(rng, "normalise", two, NORMALISE_MISTAKES),
        _kept(rng, "normalise", quarters, NORMALISE_MISTAKES),
        ([constant] * 3,),
        ([_other_than(rng, 1, 20, constant)],),
        _kept(rng, "normalise", signed, NORMALISE_MISTAKES),
        _kept(rng, "normalise", longer, NORMALISE_MISTAKES),
    )


def _grid(rng, rows: int, columns: int, low: int, high: int) -> list:
    return [[_int(rng, low, high) for _ in range(columns)] for _ in range(rows)]


def max_pool_calls(rng) -> tuple:
    average = ("assign.max_pool.average",)

    def two_by_two(rng):
        return ([[int(v) for v in row] for row in rng.permutation(10)[:4].reshape(2, 2)],)

    def negative_block(rng):
        image = _grid(rng, 4, 6, -9, 9)
        for r in range(2):
            for c in range(2):
                image[r][c] = _int(rng, -9, -1)
        return (image,)

    def odd_sparse(rng):  # 5x5: the last row and column are dropped
        return ([[_int(rng, 1, 9) if (r + c) % 2 == 0 else 0 for c in range(5)] for r in range(5)],)

    def black_white(rng):  # 3x4: the last row is dropped
        return ([[255 * _int(rng, 0, 1) for _ in range(4)] for _ in range(3)],)

    def quarters_constant_block(rng):
        image = [[_int(rng, -4, 12) / 4 for _ in range(2)] for _ in range(6)]
        same = _int(rng, 0, 12) / 4
        image[4], image[5] = [same, same], [same, same]
        return (image,)

    return tuple(_kept(rng, "max_pool", make, average)
                 for make in (two_by_two, negative_block, odd_sparse, black_white, quarters_constant_block))


EDGE_FILTERS = ([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])


def convolve_calls(rng) -> tuple:
    flipped, relu = "assign.convolve.flipped", "assign.convolve.relu"

    def sparse_filter(rng):
        kernel = [[0] * 3 for _ in range(3)]
        for place in rng.choice(9, size=int(rng.integers(2, 4)), replace=False):
            kernel[int(place) // 3][int(place) % 3] = _int(rng, 1, 3)
        return kernel

    def one_by_one(rng):
        return ([[int(v) for v in row] for row in rng.permutation(np.arange(1, 10)).reshape(3, 3)], sparse_filter(rng))

    def mixed_signs(rng):
        return (_grid(rng, 5, 5, 0, 9), _grid(rng, 3, 3, -1, 3))

    def edges(rng):
        return ([[255 * _int(rng, 0, 1) for _ in range(6)] for _ in range(4)], _pick(rng, EDGE_FILTERS))

    def halves(rng):
        image = [[_int(rng, 0, 6) / 2 for _ in range(5)] for _ in range(6)]
        kernel = [[float(_pick(rng, (-1.0, -0.5, 0.0, 0.0, 0.25, 0.5, 1.0))) for _ in range(3)] for _ in range(3)]
        return (image, kernel)

    return (
        _kept(rng, "convolve", one_by_one, (flipped,)),
        _kept(rng, "convolve", mixed_signs, (flipped, relu)),
        _kept(rng, "convolve", edges, (relu,)),
        _kept(rng, "convolve", halves, (flipped, relu)),
    )


def draw(secret: bytes) -> dict[str, tuple]:
    """Every `layers` task's hidden calls, drawn from `secret` (plain ints, floats, lists and tuples)."""
    from smiley_grader.keys import KEYS  # each task's key names its draw (keys.py imports this module)

    return {grade_id: key.draw(_rng(secret, grade_id)) for grade_id, key in KEYS.items() if key.draw}


def literal(inputs: dict) -> str:
    """The inputs as the Python literal the kernel reads (smiley_checks.tasks.hand_in) and the judge too."""
    return repr(inputs)
