"""What a hidden test cell runs in the student's kernel: hand the answer to the grader.

    checks.normalise.hand_in(normalise)

It turns the answer into a record and leaves it as an invisible cell output; it judges
nothing (the grader does, outside the kernel). The `layers` tasks call the student's
function on hidden inputs, which the grader puts in the kernel's environment
(HIDDEN_INPUTS_ENV) only while it grades: without them there is nothing to hand in.
"""

from __future__ import annotations

import ast
import os

from smiley_checks.messages import say
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.records import NotYet, publish

HIDDEN_INPUTS_ENV = "SMILEY_CHECKS_HIDDEN_INPUTS"
NEEDS_INPUTS = ("number", "numbers", "grid", "shape")  # CallsTask kinds


def hidden_inputs(grade_id: str):
    """The grader's inputs for this task: a Python literal, so tuples stay tuples."""
    try:
        inputs = ast.literal_eval(os.environ.get(HIDDEN_INPUTS_ENV, "{}"))
    except (ValueError, SyntaxError):
        return None
    return inputs.get(grade_id) if isinstance(inputs, dict) else None


def hand_in(grade_id: str, answer) -> dict:
    task = TASKS[grade_id]
    inputs = None
    if getattr(task, "kind", None) in NEEDS_INPUTS:
        inputs = hidden_inputs(grade_id)
        if inputs is None:
            raise NotYet(say("assign.hidden_only_when_graded"))
    record = task.export(answer, inputs)
    publish(record)
    return record
