"""What the hidden test cells call: one short call per task.

    from smiley_checks.grading import hidden; grade = hidden.fresh()
    grade.no_batchnorm(build_no_batchnorm)

`fresh()` first throws away every smiley_checks module the notebook has imported
(and possibly changed) and loads them again from their files, then checks that the
Keras functions grading relies on are still Keras' own. Each call turns the answer
into a record (see records.py), shows it as an invisible cell output, judges it and
raises AssertionError with one sentence for the student when the task is not done.
The autograder judges every record again outside the kernel (judge.py), so even a
notebook that tampers with Python itself cannot pass a task it did not do.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys

from smiley_checks.grading.records import MIME
from smiley_checks.grading.tasks import TASKS
from smiley_checks.messages import say

# Set by the autograder (nbgrader_plugin.GradingExecute) in the kernel's environment:
# training verdicts are then computed outside the kernel, once.
JUDGE_ENV = "SMILEY_CHECKS_JUDGE"
RECORDS: list[dict] = []  # what this process published (read by tests outside a notebook)


class NotYet(AssertionError):
    """An AssertionError that a notebook shows as one line: the reason, no traceback."""

    def _render_traceback_(self):
        return [f"\x1b[0;31mAssertionError\x1b[0m: {self}"]


NotYet.__name__ = NotYet.__qualname__ = "AssertionError"  # what nbgrader's feedback shows


def fresh():
    """This module again, with every smiley_checks module loaded anew from its files."""
    for name in [name for name in sys.modules if name == "smiley_checks" or name.startswith("smiley_checks.")]:
        del sys.modules[name]
    module = importlib.import_module(__name__)
    module.check_keras_untouched()
    return module


# Keras functions that describing, rebuilding and training a network go through.
_KERAS_FUNCTIONS = (
    ("Model", "fit"), ("Model", "predict"), ("Model", "compile"), ("Model", "count_params"),
    ("Model", "to_json"), ("Model", "get_compile_config"), ("Model", "compile_from_config"),
    ("Sequential", "build"), ("Sequential", "layers"), ("layers.Layer", "get_config"),
    ("layers.Layer", "__call__"), ("layers.Layer", "count_params"),
    ("models", "model_from_json"), ("models", "clone_model"), ("utils", "set_random_seed"),
)


def _owner(keras, path: str):
    owner = keras
    for part in path.split("."):
        owner = getattr(owner, part)
    return owner


def check_keras_untouched() -> None:
    """Raise when a Keras function grading uses was replaced by code from the notebook."""
    from smiley_checks.keras_env import keras

    home = os.path.dirname(os.path.dirname(os.path.abspath(keras.__file__)))  # site-packages
    changed = []
    for path, name in _KERAS_FUNCTIONS:
        value = inspect.getattr_static(_owner(keras, path), name, None)
        function = getattr(value, "fget", value)
        function = getattr(function, "__func__", function)
        code = getattr(function, "__code__", None)
        if value is None or (code is not None and not os.path.abspath(code.co_filename).startswith(home)):
            changed.append(f"keras.{path}.{name}")
    if changed:
        raise NotYet(say("assign.keras_changed", names=", ".join(changed)))


def judged_outside() -> bool:
    return os.environ.get(JUDGE_ENV) == "outside"


def publish(record: dict) -> None:
    """Put the record in the cell's outputs, where the autograder finds it."""
    RECORDS.append(record)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with nbgrader
        return
    if get_ipython() is not None:
        from IPython.display import display

        display({MIME: record, "text/plain": ""}, raw=True)


def show(text: str) -> None:
    from smiley_checks.checks.view import show as show_coloured

    show_coloured("hint", say("assign.label.grader"), text)


def run(name: str, answer) -> None:
    task = TASKS[name]
    record = task.export(answer)
    publish(record)
    outcome = task.judge(record, train=not judged_outside(), keras_reference=True)
    if outcome.shown:
        show(outcome.shown)
    if not outcome.passed:
        raise NotYet(outcome.message)


# --- layers ---

def shapes_conv_pool(output_shape):
    run("shapes_conv_pool", output_shape)


def shapes_other(output_shape):
    run("shapes_other", output_shape)


def shapes_network(output_shape):
    run("shapes_network", output_shape)


def conv2d_params(function):
    run("conv2d_params", function)


def dense_params(function):
    run("dense_params", function)


def normalise(function):
    run("normalise", function)


def max_pool(function):
    run("max_pool", function)


def convolve(function):
    run("convolve", function)


# --- break_the_model ---

def no_batchnorm(build_no_batchnorm):
    run("no_batchnorm", build_no_batchnorm)


def no_conv2d(build_no_conv2d):
    run("no_conv2d", build_no_conv2d)


def only_dense(build_only_dense):
    run("only_dense", build_only_dense)


def smallest_break(build_smallest_break):
    run("smallest_break", build_smallest_break)


def never_remove(answer):
    run("never_remove", answer)
