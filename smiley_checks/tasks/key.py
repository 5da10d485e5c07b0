"""A task's key: what judging it needs besides the student's record.

    outcome = TASKS[grade_id].judge(record, key)

Every task judges with this one call. The grader holds each task's real key (hidden inputs,
reference answer, typical mistakes, the set answer: its keys module), which a
student's install does not have; the notebook's check judges with the key a task builds from
what the notebook itself shows (`task.public_key()`). This module only says what a key holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def no_mistakes(*args) -> tuple:
    return ()


@dataclass(frozen=True)
class TaskKey:
    grade_id: str
    # The reference answer. A task called on inputs: answer(*args) is the right result for those
    # arguments; the network chain: answer() is the shape after each layer; a set answer: the set.
    answer: object = None
    mistakes: Callable = no_mistakes  # mistakes(*args) -> ((what a typical mistake gives, its tip's catalogue key), ...)
    also: Callable | None = None  # also(*args): another right answer (normalise: Keras adds a small epsilon)
    calls: tuple | None = None  # the arguments of the calls judged: the course's hidden inputs, or the examples
    draw: Callable | None = None  # draw(rng) -> this task's hidden calls, drawn from the course's secret
    texts: Mapping = field(default_factory=dict)  # catalogue keys of what only the key explains (never_remove)
    diagnosis: object = None  # thresholds of the network's diagnosis (issue 22); None until it exists
    public: bool = False  # built from the notebook's own examples: a pass says what was right

    def for_calls(self, calls) -> "TaskKey":
        """This key, judging the calls on `calls` (a course's hidden inputs for this task)."""
        from dataclasses import replace

        return replace(self, calls=tuple(calls))
