"""Reading what a student's function returned, and saying what is wrong with it.

Shared by the public checks (which know the right answers for the notebook's own
examples only, written out in layers.py) and the grader (which computes them for
its hidden inputs). Nothing here computes a right answer.
"""

from __future__ import annotations

import math

import numpy as np

from smiley_checks.messages import say

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


# --- reading a result (after records.plain) ---

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


def shape_text(result) -> str:
    shape = as_shape(result)
    return show(shape) if shape else short(result)


# --- comparing with the right answer (given), and naming a typical mistake ---

def close(got, expected, scale: float = 1.0) -> bool:
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    return got.shape == expected.shape and bool(np.all(np.isfinite(got))) and bool(
        np.allclose(got, expected, atol=TOLERANCE * scale, rtol=0))


SHAPE_TIPS = {"Conv2D": "conv", "MaxPooling2D": "pool", "Flatten": "flatten", "Dense": "dense"}


def shape_tip(args, result, expected) -> str | None:
    got = as_shape(result)
    if got is None:
        return say("assign.shape.not_a_shape")
    if got == tuple(expected):
        return None
    return say(f"assign.shape.tip.{SHAPE_TIPS.get(args[0], 'same')}", layer=args[0])


def number_tip(result, expected, mistakes, fallback: str) -> str | None:
    got = as_whole_number(result)
    if got is None:
        return say("assign.params.not_a_number")
    if got == expected:
        return None
    return next((say(key) for value, key in mistakes if got == value), say(fallback))


def numbers_tip(args, result, expected, mistakes, also=None) -> str | None:
    """normalise: right within the tolerance, or between `expected` and `also` (Keras adds a small
    epsilon to the variance: any epsilon up to that one is fine); else which mistake."""
    got = as_numbers(result)
    if got is None:
        return say("assign.normalise.not_a_list")
    if len(got) != len(expected):
        return say("assign.normalise.length", count=len(expected))
    also = expected if also is None else also
    if all(math.isfinite(g) and min(a, b) - TOLERANCE <= g <= max(a, b) + TOLERANCE
           for g, a, b in zip(got, expected, also)):
        return None
    if len(set(args[0])) == 1:
        return say("assign.normalise.constant")
    return next((say(key) for value, key in mistakes if close(got, value)), say("assign.normalise.tip"))


def grid_tip(task: str, args, result, expected, mistakes) -> str | None:
    """max_pool and convolve: a grid of numbers of the right size and values."""
    image = np.asarray(args[0], dtype=float)
    expected = np.asarray(expected, dtype=float)
    got = as_matrix(result)
    if got is None:
        return say("assign.grid.not_a_grid")
    rows, columns = expected.shape
    if got.shape != expected.shape:
        if task == "max_pool" and got.shape == (math.ceil(image.shape[0] / 2), math.ceil(image.shape[1] / 2)):
            return say("assign.max_pool.odd")
        if task == "convolve" and got.shape == image.shape:
            return say("assign.convolve.padding", rows=rows, columns=columns)
        return say(f"assign.{task}.size", rows=rows, columns=columns)
    scale = max(1.0, float(np.abs(expected).max()))
    if close(got, expected, scale):
        return None
    return next((say(key) for value, key in mistakes if close(got, value, scale)), say(f"assign.{task}.tip"))
