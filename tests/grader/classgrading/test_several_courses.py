"""`smiley-checks grade` with several courses (and assignments) in one command: one cluster, each course
graded into its own gradebook with the expected scores, feedback, CSV and report per course."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from expected_scores import EXPECTED


def test_one_gradebook_url_for_several_courses_is_one_sentence(tmp_path, capsys, english):
    from smiley_checks.cli import main

    for name in ("3a", "3b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "nbgrader_config.py").write_text("")
    code = main(["grade", "layers", "--course", str(tmp_path / "3a"), "--course", str(tmp_path / "3b"),
                 "--unsandboxed", "--db-url", "sqlite:///one.db"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "--db-url names one gradebook, so it works with one course only" in err


@pytest.mark.slow
def test_two_courses_in_one_command(tmp_path):
    from smiley_grader.classgrading.database import db_url, grades
    from smiley_grader.classgrading.example import collected_class

    courses = {name: collected_class(tmp_path / name, "layers", students=students)[0]
               for name, students in (("3a", ["ada", "dirk"]), ("3b", ["kim"]))}
    env = {**os.environ, "HOME": str(courses["3a"].home("teacher")), "SMILEY_CHECKS_LANG": "en"}
    done = subprocess.run([str(Path(sys.executable).parent / "smiley-checks"), "grade", "layers", "--workers", "2",
                           "--course", str(courses["3a"].root), "--course", str(courses["3b"].root)],
                          env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    finished = sorted(line.split(":")[0] for line in done.stdout.splitlines() if " | graded " in line)
    # Both course folders are called "course": each line names the one of 3a or of 3b.
    assert finished == ["3a/course/layers/ada", "3a/course/layers/dirk", "3b/course/layers/kim"]
    assert {"3a/course/layers:", "3b/course/layers:"} <= set(done.stdout.splitlines())
    for name, students in (("3a", ["ada", "dirk"]), ("3b", ["kim"])):
        course = courses[name]
        scores = {(g.student, g.task): g.score for g in grades(db_url(course.root), "layers")}
        assert scores == {(s, t): v for s in students for t, v in EXPECTED["layers"][s].items()}
        assert (course.root / "classgrading" / "layers" / "grades.csv").read_text().count("layers,") == len(students)
        assert (course.root / "classgrading" / "layers" / "report.html").exists()
        assert all((course.root / "feedback" / s / "layers").exists() for s in students)


def test_courses_are_named_by_the_fewest_last_parts_that_tell_them_apart():
    from smiley_grader.classgrading.pool import course_names

    a, b, c = Path("/srv/3a/course"), Path("/srv/3b/course"), Path("/home/t/4c")
    assert course_names([a, b, c, a]) == {a: "3a/course", b: "3b/course", c: "t/4c"}
    assert course_names([c]) == {c: "4c"}
