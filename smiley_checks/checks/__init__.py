"""Self-checks for the "break the model" notebook, in the spirit of Kaggle's learntools.

    from smiley_checks import checks
    checks.remove_all_batchnorm.check(model_without_batchnorm)  # or a builder function
    checks.remove_all_batchnorm.hint(1)
    checks.remove_all_batchnorm.solution()
    checks.withhold_solutions()  # graded notebooks: solution() then says it waits for grading

check() shows the verdict (coloured in a notebook) and returns it.
"""

from smiley_checks.checks import tasks as _tasks
from smiley_checks.checks.problem import CORRECT, INCORRECT, NOT_ATTEMPTED, Problem, Verdict
from smiley_checks.checks.view import ProblemView, withhold_solutions

remove_all_batchnorm = ProblemView(_tasks.remove_all_batchnorm)
remove_all_conv2d = ProblemView(_tasks.remove_all_conv2d)
only_dense = ProblemView(_tasks.only_dense)
smallest_break = ProblemView(_tasks.smallest_break)
never_remove = ProblemView(_tasks.never_remove)

__all__ = [
    "CORRECT", "INCORRECT", "NOT_ATTEMPTED", "Problem", "ProblemView", "Verdict",
    "never_remove", "only_dense", "remove_all_batchnorm", "remove_all_conv2d", "smallest_break",
    "withhold_solutions",
]
