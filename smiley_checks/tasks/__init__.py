"""Every graded task of both assignments, declared once, by the grade_id of its test cell.

    TASKS["normalise"].check(normalise)      # the public check (what the notebook runs)
    TASKS["normalise"].export(normalise, inputs)   # the record the grader judges
    TASKS["normalise"].judge(record, key)    # every task is judged this way (tasks/key.py)

The grader (a separate package) adds, by the same grade_id, what a student must not
see: each task's key (hidden inputs, reference answers, typical mistakes, the set
answer) and the model answers.
"""

from __future__ import annotations

from smiley_checks.tasks import break_model, layers

TASKS = {task.grade_id: task for task in (*layers.TASKS, *break_model.TASKS)}
ASSIGNMENTS = {
    layers.ASSIGNMENT: [task.grade_id for task in layers.TASKS],
    break_model.ASSIGNMENT: [task.grade_id for task in break_model.TASKS],
}
# The Dutch assignments (smiley_checks/notebook_template.py): the same tasks, the same grade_ids.
ASSIGNMENTS |= {"lagen": ASSIGNMENTS["layers"], "breek_het_model": ASSIGNMENTS["break_the_model"]}
