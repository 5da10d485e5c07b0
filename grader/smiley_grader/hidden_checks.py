"""Every task's hidden check, by grade_id: what decides the points, outside the kernel.

The student package declares each task (its public check, how its answer becomes a
record, and how a record is judged against a key); keys.py holds each task's key, what
only the grader knows: the `layers` tasks' hidden inputs (drawn from the course's secret:
course_secret.py, hidden_inputs.py), their reference answers and typical mistakes
(layers_key.py) and the set answer (answer_key.py). Every task is judged with the same
call; the networks of break_the_model are trained there, with the lesson's compile settings.
"""

from __future__ import annotations

from smiley_checks.messages import say
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.hand_in import NEEDS_INPUTS
from smiley_checks.tasks.records import failed

from smiley_grader.keys import course_key


def needs_hidden_inputs(grade_ids) -> bool:
    """Whether any of these tasks calls the student's function on hidden inputs."""
    return any(getattr(TASKS.get(grade_id), "kind", None) in NEEDS_INPUTS for grade_id in grade_ids)


def hidden_inputs_literal(course_root) -> str:
    """The course's hidden inputs as a Python literal: for the kernel's environment (read by
    smiley_checks.tasks.hand_in) and for the judge. Makes the course's secret the first time."""
    from smiley_grader.course_secret import course_secret
    from smiley_grader.hidden_inputs import draw, literal

    return literal(draw(course_secret(course_root)))


def judge(grade_id: str, record, *, train: bool = True, cache=None, inputs: str | None = None):
    """`inputs`: hidden_inputs_literal() of the course (the layers tasks' keys need it)."""
    task = TASKS.get(grade_id)
    if task is None or not isinstance(record, dict) or record.get("task") != grade_id:
        return failed(say("assign.record_mismatch"))
    return task.judge(record, course_key(grade_id, inputs), train=train, cache=cache)
