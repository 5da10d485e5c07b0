"""What every graded task declares once, keyed by the grade_id of its test cell.

A task knows what a student may see: the name of the answer in the notebook, its
points, whether grading trains it, how many hints it has, its public check, how
the answer becomes a record (`export`) and how a record is judged against a key
(`judge(record, key)`, the same call for every task). What only the grader may know
(hidden inputs, reference answers, typical mistakes, the set answer) is its key,
declared in the grader package by the same grade_id (its keys module); the
notebook's check judges with `public_key()`, built from what the notebook shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from smiley_checks.messages import say
from smiley_checks.tasks.key import TaskKey
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

    def public_key(self) -> TaskKey:
        """The key of what the notebook itself shows (its examples); the grader holds the real one."""
        return TaskKey(self.grade_id, public=True)

    def judge(self, record: dict, key: TaskKey, *, train: bool = True, cache=None) -> Outcome:  # pragma: no cover
        """A record judged against `key`. `train` and `cache` (the grading run's VerdictCache) matter only
        to the tasks that train a network."""
        raise NotImplementedError


def as_graded(outcome: Outcome, key: TaskKey) -> Outcome:
    """A pass on the grader's key says nothing: "right for the notebook's examples" does not apply."""
    from dataclasses import replace

    return outcome if key.public or not outcome.passed else replace(outcome, message="")
