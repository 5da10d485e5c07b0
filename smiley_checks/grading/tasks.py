"""Every graded task of both assignments, by the grade_id of its hidden test cell.

A task has two halves:
- `export(answer)` runs in the student's kernel and turns the answer into a record
  (plain JSON: results of calls, a Keras config, a value);
- `judge(record, train=..., keras_reference=...)` is trusted code that turns a record
  into an Outcome (passed, the one-sentence reason, what to show).
"""

from __future__ import annotations

from smiley_checks.grading import break_tasks, layers_tasks

TASKS = {task.name: task for task in (*layers_tasks.TASKS, *break_tasks.TASKS)}
ASSIGNMENTS = {
    "layers": [task.name for task in layers_tasks.TASKS],
    "break_the_model": [task.name for task in break_tasks.TASKS],
}
ASSIGNMENTS |= {"lagen": ASSIGNMENTS["layers"], "breek_het_model": ASSIGNMENTS["break_the_model"]}  # Dutch


def task(name: str):
    return TASKS[name]
