"""Load a "FILE.py:FUNCTION" spec: run the student's file in a fresh module.

Loading runs student code, so everything it raises becomes one sentence that
names the file and the line; the student's own prints go to stderr, keeping
stdout for our table or JSON.
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import sys
import traceback
import types
from pathlib import Path

from smiley_checks.errors import SubmissionError, UsageError
from smiley_checks.messages import say

_fresh_names = itertools.count(1)


def split_spec(spec: str) -> tuple[Path, str]:
    path, sep, name = spec.rpartition(":")  # rpartition: a Windows path may contain ':'
    if not sep or not path or not name.isidentifier():
        raise UsageError(say("loading.bad_spec", spec=spec))
    return Path(path), name


def _line_in_file(error: BaseException, path: Path) -> int | str:
    line: int | str = "?"
    for frame, lineno in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename == str(path):
            line = lineno
    return line


def run_file(path: Path) -> types.ModuleType:
    """Execute `path` as a new module (never cached, never reused) and return it."""
    from smiley_checks.inspection.submission import one_line

    if not path.is_file():
        raise UsageError(say("loading.no_file", path=path))
    try:
        code = compile(path.read_bytes(), str(path), "exec")
    except SyntaxError as error:
        raise SubmissionError(say("loading.syntax", path=path, line=error.lineno or "?", error=error.msg)) from None
    except ValueError as error:  # e.g. a NUL byte: not a Python file at all
        raise SubmissionError(say("loading.syntax", path=path, line="?", error=one_line(error))) from None
    import smiley_checks.keras_env  # noqa: F401  quiet TensorFlow before the file imports it

    name = f"_smiley_submission_{next(_fresh_names)}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module  # dataclasses and pickling look modules up while the file runs
    sys.path.insert(0, str(path.parent.resolve()))  # like `python FILE.py`: helpers next to it import
    try:
        with contextlib.redirect_stdout(sys.stderr):
            exec(code, module.__dict__)
    except (Exception, SystemExit) as error:
        raise SubmissionError(
            say(
                "loading.crashed",
                path=path,
                line=_line_in_file(error, path),
                error_type=type(error).__name__,
                error=one_line(error) or "-",
            )
        ) from None
    finally:
        sys.modules.pop(name, None)
        sys.path.remove(str(path.parent.resolve()))
    return module


def load_object(spec: str):
    """The object FUNCTION names in FILE.py (usually a function that returns a model)."""
    path, name = split_spec(spec)
    module = run_file(path)
    if not hasattr(module, name):
        functions = sorted(
            key for key, value in vars(module).items() if inspect.isfunction(value) and value.__module__ == module.__name__
        )
        raise SubmissionError(
            say("loading.no_function", path=path, name=name, names=", ".join(functions) or say("loading.nothing"))
        )
    return getattr(module, name)


def load_model(spec: str):
    """The Keras model that FILE.py:FUNCTION returns (or names), checked by as_model."""
    from smiley_checks.inspection.submission import as_model

    obj = load_object(spec)
    with contextlib.redirect_stdout(sys.stderr):
        return as_model(obj, name=split_spec(spec)[1])
