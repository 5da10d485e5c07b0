"""What every graded task declares once, keyed by the grade_id of its test cell.

A task knows what a student may see: the name of the answer in the notebook, its
points, whether grading trains it, how many hints it has, its public check, and how
the answer becomes a record (`export`). What only the grader may know (hidden
inputs, reference answers, answer keys, model answers) is declared in the grader
package, by the same grade_id.
"""

from __future__ import annotations

from dataclasses import dataclass

from smiley_checks.messages import say
from smiley_checks.tasks.records import Outcome


@dataclass(frozen=True)
class Task:
    grade_id: str  # the test cell's grade_id: the one name of this task everywhere
    assignment: str
    answer: str  # the function or variable the student writes in the notebook
    points: int  # the test cell's points (a test checks the notebooks agree)
    trains: bool = False  # grading trains the answer (break_the_model networks)
    hints: int = 0  # catalogue keys task.<grade_id>.hint1 ... hintN

    def hint_text(self, n: int) -> str:
        if not 1 <= n <= self.hints:
            return say("check.no_such_hint", total=self.hints) if self.hints else say("check.no_hints")
        return say(f"task.{self.grade_id}.hint{n}")

    def export(self, answer, inputs=None) -> dict:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def check(self, answer) -> Outcome:  # pragma: no cover - every kind overrides it
        """The public check: on the notebook's own examples, the network's layers, or the answer's form."""
        raise NotImplementedError
