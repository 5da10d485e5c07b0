"""`grade layers --workers 2` on the example class: the expected scores, a killed worker,
a rerun that grades only who is missing, and a gradebook held by another writer.

One class run (11 students, 2 at a time, about 2 minutes on 2 busy cores) and one rerun.
"""

import csv
import sqlite3
import threading
import time

import nbformat
import pytest

from expected_scores import EXPECTED

pytestmark = pytest.mark.slow
KILLED = "bert"  # this student's worker is killed while it grades


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from smiley_grader.classgrading.database import grades
    from smiley_grader.classgrading.example import collected_class
    from smiley_grader.classgrading.run import grade_class
    from smiley_checks.messages import set_language

    set_language("en")
    workdir = tmp_path_factory.mktemp("classgrading")
    course, students = collected_class(workdir)
    env = {"HOME": str(course.home("teacher"))}
    started_at = {}

    def kill_one(student, process):
        started_at[student] = time.monotonic()
        if student == KILLED:
            threading.Timer(2.0, lambda: process.kill()).start()

    started = time.perf_counter()
    first = grade_class(course.root, "layers", workers=2, env=env, on_start=kill_one)
    seconds = time.perf_counter() - started
    print(f"class run: {seconds:.0f} s for {len(students)} students")
    scores = {(g.student, g.task): g for g in grades(first.url, "layers")}
    return course, students, first, scores, env, started_at


def test_every_student_is_graded_but_the_killed_one(graded):
    _, students, first, _, _, _ = graded
    assert set(first.results) == set(students) == set(EXPECTED["layers"])
    assert set(first.failed) == {KILLED}
    assert "killed" in first.failed[KILLED].reason
    assert all(r.status == "graded" and r.returncode == 0 for s, r in first.results.items() if s != KILLED)


def test_parallel_scores_are_the_expected_ones(graded):
    _, _, _, scores, _, _ = graded
    wrong = [f"{s}/{t}: expected {v}, got {scores.get((s, t))}"
             for s, row in EXPECTED["layers"].items() if s != KILLED for t, v in row.items()
             if (s, t) not in scores or scores[(s, t)].score != v or scores[(s, t)].needs_manual_grade]
    assert not wrong, "\n".join(wrong)


def test_two_students_were_graded_at_the_same_time(graded):
    _, _, first, _, _, started_at = graded
    order = sorted(started_at.values())
    # with 2 workers the second student starts before the first has finished
    assert order[1] - order[0] < min(r.seconds for r in first.results.values() if r.status == "graded")


def test_odd_notebooks_are_graded_with_a_note(graded):
    _, _, first, _, _, _ = graded
    assert "grade.note.kernel_died" in first.results["kim"].notes  # the segfault
    assert "grade.note.memory" in first.results["gina"].notes
    assert "grade.note.timeout" in first.results["finn"].notes
    assert not first.results["ada"].notes


def test_csv_feedback_and_report(graded):
    course, _, first, _, _, _ = graded
    with first.csv.open() as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file) if row["assignment"] == "layers"}
    for student in set(EXPECTED["layers"]) - {KILLED}:
        assert float(rows[student]["raw_score"]) == sum(EXPECTED["layers"][student].values()), student
    assert (course.root / "feedback" / "kim" / "layers" / "layers.html").exists()
    html = first.report.read_text()
    assert html.count("data:image/png;base64,") == 3
    assert "NOT graded" in html and KILLED in html
    assert "the kernel died (later tests count as not run)" in html
    assert not first.problems


def test_rerun_grades_only_the_missing_student_while_the_gradebook_is_busy(graded):
    from smiley_grader.classgrading.database import grades
    from smiley_grader.classgrading.run import grade_class

    course, _, first, before, env, _ = graded
    ada = course.root / "autograded" / "ada" / "layers" / "layers.ipynb"
    ada_mtime = ada.stat().st_mtime

    def hold_the_gradebook(student, process):
        # Another writer holds the gradebook for 12 s: longer than SQLite's default 5 s busy timeout.
        db = sqlite3.connect(course.root / "gradebook.db", timeout=30, isolation_level=None, check_same_thread=False)
        db.execute("BEGIN EXCLUSIVE")
        threading.Timer(12.0, lambda: (db.execute("COMMIT"), db.close())).start()

    second = grade_class(course.root, "layers", workers=2, env=env, on_start=hold_the_gradebook, report=False)
    assert second.results[KILLED].status == "graded", second.results[KILLED]
    assert second.results[KILLED].attempts == 1
    assert ada.stat().st_mtime == ada_mtime  # not graded again
    assert {s: r.seconds for s, r in second.results.items() if s != KILLED} == \
        {s: r.seconds for s, r in first.results.items() if s != KILLED}
    after = {(g.student, g.task): g.score for g in grades(second.url, "layers")}
    # The killed student's first-run rows depend on when the kill landed; everyone else's must not move.
    assert {k: v for k, v in after.items() if k[0] != KILLED} == \
        {k: g.score for k, g in before.items() if k[0] != KILLED}
    assert {t: after[(KILLED, t)] for t in EXPECTED["layers"][KILLED]} == EXPECTED["layers"][KILLED]
    nb = nbformat.read(course.root / "autograded" / KILLED / "layers" / "layers.ipynb", as_version=4)
    assert nb.cells
