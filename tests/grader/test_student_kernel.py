"""Graded kernels run with the students' Python, which has smiley_checks but not the grader."""

import subprocess

import pytest

import os
import sys
from pathlib import Path

from smiley_grader.student_kernel import (NoStudentPython, StudentKernelManager, default_student_python,
                                          kernel_environment)


def test_the_students_python_cannot_import_the_grader():
    python = default_student_python()
    assert python, "make venv builds .venv-student next to .venv"
    grader_on_path = dict(os.environ, PYTHONPATH=str(Path(sys.modules["smiley_grader"].__file__).parents[1]))
    code = "import smiley_checks.checks, smiley_checks.tasks; import smiley_grader"
    leaky = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120, env=grader_on_path)
    assert leaky.returncode == 0  # a teacher's PYTHONPATH would hand the kernel the grader...
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=120,
                          env=kernel_environment(grader_on_path))  # ...so the kernel never gets it
    assert done.returncode == 1 and "No module named 'smiley_grader'" in done.stderr


def test_the_kernel_command_uses_the_students_python():
    manager = StudentKernelManager(kernel_name="python3")
    manager.connection_file = "/tmp/kernel-test.json"
    assert manager.format_kernel_cmd()[0] == default_student_python()


def test_without_a_students_python_grading_says_so(tmp_path):
    manager = StudentKernelManager(kernel_name="python3", python=str(tmp_path / "missing"))
    manager.connection_file = "/tmp/kernel-test.json"
    with pytest.raises(NoStudentPython, match="SMILEY_CHECKS_STUDENT_PYTHON"):
        manager.format_kernel_cmd()
