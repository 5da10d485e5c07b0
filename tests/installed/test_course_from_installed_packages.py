"""A course run from the installed packages only, far from this checkout: the teacher makes a course
folder with `smiley-checks course init`, releases `layers`; a student fetches it, runs its first
cells with the students' environment and hands in; the teacher collects and grades with
`smiley-checks grade`. Every command is an installed environment's own, run with a clean shell."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys

import pytest

from smiley_checks.dataset.layout import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests" / "nbgrader"))
from expected_scores import EXPECTED  # noqa: E402 (the example class's one table)

pytestmark = pytest.mark.slow

STUDENT = "ada"  # hands in the teacher's own answers: full marks (tests/nbgrader/expected_scores.py)
FIRST_CELLS = """
import json, sys
import nbformat
from nbclient import NotebookClient
notebook = nbformat.read(sys.argv[1], as_version=4)
ids = [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells]
notebook.cells = notebook.cells[:ids.index("shapes_conv_pool") + 1]  # the set-up, task 1, its check
NotebookClient(notebook, kernel_name="python3", timeout=300, allow_errors=True,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
import smiley_checks
print(json.dumps({"package": smiley_checks.__file__, "cells": [
    {"id": ids[i], "outputs": cell.get("outputs", [])} for i, cell in enumerate(notebook.cells)
    if cell.cell_type == "code"]}))
"""


def run(command, cwd, env, timeout=600):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def text_of(outputs) -> str:
    parts = []
    for output in outputs:
        parts.append(output.get("text", "") + output.get("evalue", ""))
        parts.extend(str(value) for value in output.get("data", {}).values())
    return "\n".join(parts)


def test_a_course_from_the_installed_packages_grades_a_student(installed):
    top = installed.top / "course-run"
    teacher_home, student_home, exchange = top / "teacher", top / "student", top / "exchange"
    for folder in (teacher_home, student_home, exchange):
        folder.mkdir(parents=True)
    teacher, student = installed.teacher_env, installed.student_env
    course = teacher_home / "smileys"
    as_teacher = installed.shell(teacher_home, teacher)
    as_student = installed.shell(student_home, student)
    at_exchange = f"--Exchange.root={exchange}"

    # The grader's verbs reach `smiley-checks` through its entry points.
    done = run([installed.tool(teacher, "smiley-checks"), "--help"], teacher_home, as_teacher)
    assert re.findall(r"^    (\w+)\b", done.stdout, re.M)[-4:] == ["course", "demo", "gateway", "grade"], done.stdout

    # The teacher makes the course folder and hands out `layers`.
    run([installed.tool(teacher, "smiley-checks"), "course", "init", str(course)], teacher_home, as_teacher)
    assert (course / "nbgrader_config.py").read_bytes() == (REPO_ROOT / "nbgrader_config.py").read_bytes()
    run([installed.tool(teacher, "nbgrader"), "generate_assignment", "layers", at_exchange], course, as_teacher)
    run([installed.tool(teacher, "nbgrader"), "release_assignment", "layers", "--course=smileys", at_exchange],
        course, as_teacher)

    # The student fetches it and runs the first cells with the students' environment.
    work = student_home / "work"
    work.mkdir()
    run([installed.tool(student, "nbgrader"), "fetch_assignment", "layers", "--course=smileys", at_exchange],
        work, as_student)
    notebook = work / "layers" / "layers.ipynb"
    done = run([installed.tool(student, "python"), "-c", FIRST_CELLS, str(notebook), str(notebook.parent)],
               work, as_student)
    ran = json.loads(done.stdout.strip().splitlines()[-1])
    assert str(REPO_ROOT) not in ran["package"] and ran["package"].startswith(str(student))
    setup, answer, check = ran["cells"]
    assert (setup["id"], check["id"]) == ("setup", "shapes_conv_pool")
    assert not [o for o in setup["outputs"] if o["output_type"] == "error" or o.get("name") == "stderr"]
    said = text_of(check["outputs"])
    assert "Not yet" in said and "Traceback" not in said  # task 1 as handed out: the check explains

    # She hands in (her filled-in notebook: the example class's `ada`).
    shutil.copy(REPO_ROOT / "tests" / "nbgrader" / "submissions" / STUDENT / "layers.ipynb", notebook)
    run([installed.tool(student, "nbgrader"), "submit", "layers", "--course=smileys", f"--student={STUDENT}",
         at_exchange], work, as_student)

    # The teacher collects and grades with the installed grader.
    run([installed.tool(teacher, "nbgrader"), "collect", "layers", "--course=smileys", at_exchange], course, as_teacher)
    done = run([installed.tool(teacher, "smiley-checks"), "grade", "layers", "--workers", "1"], course, as_teacher,
               timeout=900)
    with (course / "classgrading" / "layers" / "grades.csv").open() as handle:
        rows = [row for row in csv.DictReader(handle) if row["student_id"] == STUDENT]
    full_marks = sum(EXPECTED["layers"][STUDENT].values())
    assert full_marks == 17
    assert [(float(row["score"]), float(row["max_score"])) for row in rows] == [(full_marks, 17)], done.stdout
    assert (course / "feedback" / STUDENT / "layers" / "layers.html").exists()
