"""The checks a student runs in the `layers` notebook: the lesson's own examples only.

    from smiley_checks.grading import public as check
    check.normalise(normalise)

A check that passes says so; one that does not raises AssertionError with one
sentence saying what went wrong and what to try. When you hand in, the hidden tests
try your functions on other inputs too.
"""

from __future__ import annotations

from smiley_checks.grading.hidden import NotYet
from smiley_checks.grading.layers_tasks import SHAPES_NETWORK, network_layers, network_shapes, show
from smiley_checks.grading.records import call_record, is_unanswered
from smiley_checks.grading.tasks import TASKS
from smiley_checks.messages import say


def _passed(text: str) -> None:
    from smiley_checks.checks.view import show as show_coloured

    show_coloured("correct", say("check.label.correct"), text)


def _check(name: str, answer) -> None:
    task = TASKS[name]
    outcome = task.judge(task.export(answer, public=True), public=True)
    if not outcome.passed:
        raise NotYet(outcome.message)
    _passed(say("assign.public.passed", count=len(task.examples)))


def shapes_conv_pool(output_shape):
    _check("shapes_conv_pool", output_shape)


def shapes_other(output_shape):
    _check("shapes_other", output_shape)


def conv2d_params(function):
    _check("conv2d_params", function)


def dense_params(function):
    _check("dense_params", function)


def normalise(function):
    _check("normalise", function)


def max_pool(function):
    _check("max_pool", function)


def convolve(function):
    _check("convolve", function)


def shape_table(output_shape):
    """Follow the shape through the original network with your function, next to Keras."""
    if is_unanswered(output_shape) or not callable(output_shape):
        raise NotYet(say("assign.not_attempted", name="output_shape"))
    rows, shape, wrong = [], (110, 110, 1), None
    for number, ((kind, count), keras_shape) in enumerate(zip(network_layers(), network_shapes(keras_reference=True)), 1):
        call = call_record(output_shape, (kind, shape, count))
        got = call.get("result", call.get("error", "?"))
        yours = show(tuple(got)) if isinstance(got, list) else str(got)
        ok = isinstance(got, list) and tuple(got) == keras_shape
        label = kind + (f"({count})" if count else "")
        rows.append(f"{number:>3}  {label:<22} {yours:<16} {show(keras_shape):<16} {'ok' if ok else 'X'}")
        if not ok:
            wrong = wrong or number
            break
        shape = keras_shape
    header = f"{'#':>3}  {say('assign.table.layer'):<22} {say('assign.table.yours'):<16} {say('assign.table.keras'):<16}"
    print("\n".join([header, "-" * len(header), *rows]))
    if wrong:
        outcome = SHAPES_NETWORK.judge(SHAPES_NETWORK.export(output_shape), keras_reference=True)
        raise NotYet(outcome.message or say("assign.record_mismatch"))
    _passed(say("assign.public.network"))


def never_remove_form(answer):
    """Only the form of the answer: a set of layer types from the lesson's network."""
    from smiley_checks.checks.tasks import INPUT_NAMES, LESSON_LAYER_TYPES

    if is_unanswered(answer):
        raise NotYet(say("check.not_attempted", name="never_remove"))
    if isinstance(answer, str):
        answer = {answer}
    if not isinstance(answer, (set, frozenset, list, tuple)) or not all(isinstance(a, str) for a in answer):
        raise NotYet(say("task.never_remove.not_a_set"))
    known = {t.lower() for t in LESSON_LAYER_TYPES}
    for name in answer:
        if name.strip().lower() in INPUT_NAMES:
            raise NotYet(say("task.never_remove.input", name=name))
        if name.strip().lower() not in known:
            raise NotYet(say("task.never_remove.unknown", name=name, choices=", ".join(LESSON_LAYER_TYPES)))
    _passed(say("assign.public.never_remove_form"))
