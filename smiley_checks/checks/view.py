"""How a task looks in a notebook: coloured HTML there, plain text in a terminal.

    checks.normalise.check(normalise)     # green "Correct", or a red one-line reason (the cell fails)
    checks.no_batchnorm.hint(1)           # the hints, one at a time
    checks.no_batchnorm.solution()        # the model answer comes with the feedback, after grading
    checks.normalise.hand_in(normalise)   # what a hidden test cell calls while the grader grades
"""

from __future__ import annotations

import html

from smiley_checks.messages import say
from smiley_checks.tasks.declaration import Task
from smiley_checks.tasks.records import NotYet, Outcome  # noqa: F401 (Outcome: grade()'s type)

COLOURS = {
    "correct": "#33cc33",
    "incorrect": "#cc3300",
    "not_attempted": "#cc8800",
    "hint": "#3366cc",
}
_MISSING = object()


def in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def render_text(label: str, text: str) -> str:
    return f"{label}: {text}"


def render_html(kind: str, label: str, text: str) -> str:
    # Escaped first, then each line break kept: a verdict with the doctor's word has several lines.
    lines = html.escape(text).replace("\n", "<br>")
    return f'<span style="color:{COLOURS[kind]}"><b>{html.escape(label)}:</b></span> {lines}'


def show(kind: str, label: str, text: str) -> None:
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(render_html(kind, label, text)))
    else:
        print(render_text(label, text))


def _notebook_variable(name: str):
    import __main__

    return getattr(__main__, name, None)


def _print_shape_table(task, function) -> None:
    """Follow the shape through the original network with the student's function, next to Keras."""
    from smiley_checks.tasks.answers import show as show_value
    from smiley_checks.tasks.layers import network_shapes
    from smiley_checks.tasks.records import call_record

    if not callable(function):
        return
    rows, shape = [], (110, 110, 1)
    for number, ((kind, count), keras_shape) in enumerate(zip(task.layers, network_shapes()), 1):
        call = call_record(function, (kind, shape, count))
        got = call.get("result", call.get("error", "?"))
        yours = show_value(tuple(got)) if isinstance(got, list) else str(got)
        ok = isinstance(got, list) and tuple(got) == keras_shape
        label = kind + (f"({count})" if count else "")
        rows.append(f"{number:>3}  {label:<22} {yours:<16} {show_value(keras_shape):<16} {'ok' if ok else 'X'}")
        if not ok:
            break
        shape = keras_shape
    header = f"{'#':>3}  {say('assign.table.layer'):<22} {say('assign.table.yours'):<16} {say('assign.table.keras'):<16}"
    print("\n".join([header, "-" * len(header), *rows]))


class TaskView:
    """What a student calls for one task."""

    def __init__(self, task: Task):
        self.task = task

    def check(self, answer=_MISSING) -> None:
        """Check `answer` (default: the notebook variable the task names). Raises when it is not right yet,
        so nbgrader's Validate and the test cell both show it."""
        if answer is _MISSING:
            answer = _notebook_variable(self.task.answer)
        if self.task.grade_id == "shapes_network":
            _print_shape_table(self.task, answer)
        outcome = grade(self.task, answer)
        if not outcome.passed:
            raise NotYet(f"{say('check.label.' + outcome.status)}: {outcome.message}")
        show("correct", say("check.label.correct"), outcome.message)  # returns nothing: no repr under the cell

    def hint(self, n: int = 1) -> None:
        total = self.task.hints
        label = say("check.label.hint", number=n, total=total) if 1 <= n <= total else say("check.label.hints")
        show("hint", label, self.task.hint_text(n))

    def solution(self) -> None:
        show("hint", say("check.label.solution"), say("check.solution_after_grading", grade_id=self.task.grade_id))

    def hand_in(self, answer) -> None:
        from smiley_checks.tasks.hand_in import hand_in

        hand_in(self.task.grade_id, answer)

    def __repr__(self) -> str:
        return f"<task {self.task.grade_id}: .check({self.task.answer}), .hint(n)>"


def grade(task: Task, answer) -> Outcome:
    """The task's public check, with every unexpected failure turned into one sentence."""
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.inspection.submission import one_line
    from smiley_checks.tasks.records import failed

    try:
        return task.check(answer)
    except SmileyChecksError as error:
        return failed(str(error))
    except Exception as error:  # a bug or a very odd answer: still one sentence for the student
        return failed(say("check.crashed", error_type=type(error).__name__, error=one_line(error)))
