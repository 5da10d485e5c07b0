"""Start every graded kernel with the students' Python, which cannot import the grader.

Autograding runs in the teacher's environment, where `smiley_grader` (hidden inputs,
answer keys, the judge) is installed. A kernel started with that same Python could
`import smiley_grader` and hand in the grader's own answers. So the kernel runs with
the students' environment instead: the pinned packages and `smiley_checks`, nothing
else (`make venv` builds it as `.venv-student`; on a hub it is the student image's
Python). Which one: `c.StudentKernelManager.python`, else the environment variable
SMILEY_CHECKS_STUDENT_PYTHON, else `<this environment>-student/bin/python`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode, default

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

ENV_VAR = "SMILEY_CHECKS_STUDENT_PYTHON"
PYTHON_NAMES = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}


class NoStudentPython(SmileyChecksError):
    pass


# Settings that would put other code on the kernel's path (the grader's, say) or run it at start.
PATH_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONSAFEPATH")


def kernel_environment(environ) -> dict:
    """The grader's environment without what would let the students' Python find the grader."""
    return {key: value for key, value in environ.items() if key not in PATH_VARIABLES}


def default_student_python() -> str:
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    # From the executable, not sys.prefix: under `python -S` (isolation.py) there is no venv prefix.
    environment = Path(sys.executable).parent.parent
    sibling = environment.with_name(environment.name + "-student") / "bin" / "python"
    return str(sibling) if sibling.exists() else ""


class StudentKernelManager(AsyncKernelManager):
    python = Unicode(help="The students' Python (it has smiley_checks but not smiley_grader).").tag(config=True)

    @default("python")
    def _python_default(self) -> str:
        return default_student_python()

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.python or not Path(self.python).exists():
            raise NoStudentPython(say("grade.no_student_python", variable=ENV_VAR))
        if cmd and (cmd[0] == sys.executable or Path(cmd[0]).name in PYTHON_NAMES):
            cmd[0] = self.python
        return cmd
