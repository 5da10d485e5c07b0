"""The logic of one exercise, kept apart from how a notebook shows it (see view.py).

A Problem turns an answer into a Verdict: correct, incorrect with a reason,
or not attempted yet. Every expected failure is a sentence, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not_attempted"


@dataclass
class Verdict:
    status: str  # CORRECT, INCORRECT or NOT_ATTEMPTED
    message: str
    shown: bool = field(default=False, compare=False, repr=False)  # already displayed by check()

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def __bool__(self) -> bool:
        return self.correct

    def __str__(self) -> str:
        return f"{say('check.label.' + self.status)}: {self.message}"

    def _ipython_display_(self):
        # check() already displayed it; don't show it twice when it is a cell's last value.
        if not self.shown:
            from smiley_checks.checks.view import show_verdict

            show_verdict(self)


def correct(message: str) -> Verdict:
    return Verdict(CORRECT, message)


def incorrect(message: str) -> Verdict:
    return Verdict(INCORRECT, message)


def is_unanswered(answer) -> bool:
    return answer is None or answer is Ellipsis


@dataclass(frozen=True)
class Problem:
    name: str
    judge: Callable[[Any], Verdict]  # answer -> Verdict; may raise SmileyChecksError
    hints: tuple[str, ...]  # catalogue keys, in order
    solution: str  # the teacher's code
    variable: str  # the notebook variable checked when no answer is passed

    def grade(self, answer) -> Verdict:
        from smiley_checks.inspection.submission import NothingHandedIn, one_line

        if is_unanswered(answer):
            return Verdict(NOT_ATTEMPTED, say("check.not_attempted", name=self.variable))
        try:
            return self.judge(answer)
        except NothingHandedIn:
            return Verdict(NOT_ATTEMPTED, say("check.not_attempted", name=self.variable))
        except SmileyChecksError as error:
            return incorrect(str(error))
        except Exception as error:  # a bug or a very odd model: still one sentence for the student
            return incorrect(say("check.crashed", error_type=type(error).__name__, error=one_line(error)))

    def hint_text(self, n: int = 1) -> str:
        total = len(self.hints)
        if not 1 <= n <= total:
            return say("check.no_such_hint", total=total)
        return say(self.hints[n - 1])
