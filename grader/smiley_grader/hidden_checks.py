"""Every task's hidden check, by grade_id: what decides the points, outside the kernel.

The student package declares each task (its public check and how its answer becomes
a record); this adds what only the grader knows: the `layers` tasks' hidden inputs
and reference answers (layers_key.py) and the set answer's key (answer_key.py).
The networks of break_the_model are judged by their public structure check and
trained here, with the lesson's compile settings.
"""

from __future__ import annotations

from smiley_checks.messages import say
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.records import failed

from smiley_grader import answer_key, layers_key


def hidden_inputs_literal() -> str:
    """The hidden inputs for the kernel's environment (a Python literal, read by smiley_checks.tasks.hand_in)."""
    return repr(layers_key.HIDDEN_INPUTS)


def judge(grade_id: str, record, *, train: bool = True, cache=None):
    task = TASKS.get(grade_id)
    if task is None or not isinstance(record, dict) or record.get("task") != grade_id:
        return failed(say("assign.record_mismatch"))
    if task.assignment == "layers":
        return layers_key.judge(task, record)
    if grade_id == "never_remove":
        return answer_key.judge_never_remove(record)
    return task.judge(record, train=train, cache=cache)
