"""Answers as plain data: what a hidden test cell hands to the grader.

A hidden test never judges the student's objects where they live. It turns the
answer into a *record* (plain JSON: what the student's function returned for each
hidden input, the model's Keras config, or a value) and leaves it as an invisible
cell output. The grader (a separate package, not in a student's install) judges
the records in a clean process outside the kernel, where nothing the notebook did
to Python, smiley_checks or IPython can reach.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import warnings
from dataclasses import asdict, dataclass

# The MIME type of a record in a cell's outputs (a notebook shows nothing for it).
MIME = "application/vnd.smiley-checks.record+json"
MAX_RESULT_CHARS = 20_000  # a result bigger than this is not an answer to these tasks


@dataclass(frozen=True)
class Outcome:
    passed: bool
    message: str = ""  # why not (or, for a check that passed, what was right): for the student
    shown: str = ""  # shown even when passed (e.g. the training verdict)
    changes: str = ""  # what the network changed from the original (the class report groups by it)
    attempted: bool = True  # False: the answer is still empty
    diagnosis: str = ""  # the doctor's word on a trained network, one line (the class report shows it)
    picture: str = ""  # a PNG (base64) the feedback shows under the verdict: the doctor's seed strip
    main_diagnosis: str = ""  # the diagnosis most tries got (a code of diagnosis/rules.ORDER): the report groups by it
    diagnosis_picture: str = ""  # a PNG (base64): the doctor's picture of that diagnosis, from the first try with it

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Outcome":
        return cls(bool(data["passed"]), str(data.get("message", "")), str(data.get("shown", "")),
                   str(data.get("changes", "")), bool(data.get("attempted", True)), str(data.get("diagnosis", "")),
                   str(data.get("picture", "")), str(data.get("main_diagnosis", "")),
                   str(data.get("diagnosis_picture", "")))

    @property
    def status(self) -> str:
        return "correct" if self.passed else "incorrect" if self.attempted else "not_attempted"


def passed(shown: str = "", message: str = "") -> Outcome:
    return Outcome(True, message, shown)


def failed(message: str, shown: str = "") -> Outcome:
    return Outcome(False, message, shown)


def not_attempted(message: str) -> Outcome:
    return Outcome(False, message, attempted=False)


class NotYet(AssertionError):
    """An AssertionError that a notebook shows as one line: the reason, no traceback."""

    def _render_traceback_(self):
        return [f"\x1b[0;31mAssertionError\x1b[0m: {self}"]


NotYet.__name__ = NotYet.__qualname__ = "AssertionError"  # what nbgrader's feedback shows


def publish(record: dict) -> None:
    """Put the record in the cell's outputs, where the grader finds it (a notebook shows nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    if get_ipython() is not None:
        from IPython.display import display

        display({MIME: record, "text/plain": ""}, raw=True)


def plain(value, depth: int = 0):
    """JSON-safe copy of a result: tuples and arrays become lists, NaN becomes a string."""
    if depth > 20:
        return repr(value)[:200]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays and numpy numbers
        try:
            return plain(value.tolist(), depth + 1)
        except Exception:
            return repr(value)[:200]
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [plain(v, depth + 1) for v in value]
        return {"set": sorted(items, key=repr)}
    if isinstance(value, dict):
        return {"dict": [[plain(k, depth + 1), plain(v, depth + 1)] for k, v in value.items()]}
    return {"repr": repr(value)[:200], "type": type(value).__name__}


def fits(value) -> bool:
    try:
        return len(json.dumps(value)) <= MAX_RESULT_CHARS
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def quiet():
    """Run student code without warnings or stderr text landing in a test cell
    (nbgrader gives 0 to a test cell that writes to stderr)."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def one_line(error: BaseException) -> str:
    text = next((part.strip() for part in str(error).splitlines() if part.strip()), "")
    text = text if len(text) <= 160 else text[:159] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def call_record(function, args: tuple) -> dict:
    """Call the student's function on a copy of `args`; what it returned or how it failed."""
    entry = {"args": plain(args)}
    try:
        with quiet():
            result = function(*copy.deepcopy(args))
    except Exception as error:  # KeyboardInterrupt (the cell timeout) is not caught
        entry["error"] = one_line(error)
        return entry
    result = plain(result)
    if fits(result):
        entry["result"] = result
    else:
        entry["too_big"] = True
    return entry


def is_unanswered(answer) -> bool:
    return answer is None or answer is Ellipsis
