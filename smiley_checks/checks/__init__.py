"""The notebook's checks, one per graded task, named by the task's grade_id.

    from smiley_checks import checks
    checks.normalise.check(normalise)
    checks.no_batchnorm.hint(1)

A check runs on the notebook's own examples (`layers`), on the network's layers
(`break_the_model`), or on the form of a written answer; the grader decides the
points, outside the kernel, when your teacher grades.
"""

from smiley_checks.checks.view import TaskView
from smiley_checks.tasks import TASKS

globals().update({grade_id: TaskView(task) for grade_id, task in TASKS.items()})
__all__ = ["TaskView", *TASKS]
