"""How a check looks: coloured HTML in a notebook, plain text in a terminal."""

from __future__ import annotations

import html

from smiley_checks.checks.problem import Problem, Verdict
from smiley_checks.messages import say

COLOURS = {
    "correct": "#33cc33",
    "incorrect": "#cc3300",
    "not_attempted": "#cc8800",
    "hint": "#3366cc",
    "solution": "#33aa99",
}
_MISSING = object()
# A graded notebook's locked setup cell withholds solutions: hints stay, the answer waits for grading.
# (Only friction: the solutions ship inside the package, so a determined student can read them.)
_solutions_withheld = False


def withhold_solutions() -> None:
    global _solutions_withheld
    _solutions_withheld = True


def in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def render_text(label: str, text: str, code: bool = False) -> str:
    return f"{label}:\n{text}" if code else f"{label}: {text}"


def render_html(kind: str, label: str, text: str, code: bool = False) -> str:
    head = f'<span style="color:{COLOURS[kind]}"><b>{html.escape(label)}:</b></span>'
    body = f"<pre>{html.escape(text)}</pre>" if code else html.escape(text)
    return f"{head} {body}"


def show(kind: str, label: str, text: str, code: bool = False) -> None:
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(render_html(kind, label, text, code)))
    else:
        print(render_text(label, text, code))


def show_verdict(verdict: Verdict) -> None:
    show(verdict.status, say(f"check.label.{verdict.status}"), verdict.message)
    verdict.shown = True


def _notebook_variable(name: str):
    import __main__

    return getattr(__main__, name, None)


class ProblemView:
    """What a student calls: task.check(answer), task.hint(n), task.solution()."""

    def __init__(self, problem: Problem):
        self.problem = problem

    def check(self, answer=_MISSING) -> Verdict:
        """Check `answer` (default: the notebook variable named in the task) and show the verdict."""
        if answer is _MISSING:
            answer = _notebook_variable(self.problem.variable)
        verdict = self.problem.grade(answer)
        show_verdict(verdict)
        return verdict

    def hint(self, n: int = 1) -> None:
        total = len(self.problem.hints)
        label = say("check.label.hint", number=n, total=total) if 1 <= n <= total else say("check.label.hints")
        show("hint", label, self.problem.hint_text(n))

    def solution(self) -> None:
        if _solutions_withheld:
            show("hint", say("check.label.solution"), say("check.solution_withheld", name=self.problem.name))
            return
        show("solution", say("check.label.solution"), self.problem.solution, code=True)

    def __repr__(self) -> str:
        return f"<check {self.problem.name}: .check(answer), .hint(n), .solution()>"
