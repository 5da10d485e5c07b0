"""The whole cycle with nbgrader's own commands, for the example class of expected_scores.py.

One run (about 5 minutes on 2 cores): release both assignments into a temporary
exchange, fetch and submit as each student (own HOME, own folder), collect,
autograde, generate feedback, export to CSV. Then every grade in the gradebook is
compared with expected_scores.py.
"""

import csv
import html
import time

import nbformat
import pytest

from expected_scores import EXPECTED, ODD

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    from smiley_checks.grading.demo_cycle import run_class

    unguarded = {}

    def grade_jon_without_the_outside_judge(course):
        # What plain nbgrader would give jon: his input transformer empties every test cell.
        course.collect("layers")
        course.nbgrader("autograde", "layers", "--student=jon", "--GradingExecute.judge_outside=False", check=False)
        unguarded.update({key: grade for key, grade in course.grades().items() if key[0] == "jon"})

    started = time.perf_counter()
    result = run_class(tmp_path_factory.mktemp("nbgrader"), log=print,
                       before_autograde=grade_jon_without_the_outside_judge)
    result.seconds["test fixture"] = time.perf_counter() - started
    print("cycle timings:", {name: round(seconds) for name, seconds in result.seconds.items()})
    return result, unguarded


def test_every_grade_is_the_expected_one(cycle):
    result, _ = cycle
    wrong = []
    for assignment, rows in EXPECTED.items():
        for student, row in rows.items():
            for task, expected in row.items():
                grade = result.grades[(student, assignment, task)]
                if expected == "m":
                    ok = grade.needs_manual_grade and grade.score == 0
                else:
                    ok = not grade.needs_manual_grade and grade.score == expected
                if not ok:
                    wrong.append(f"{student}/{assignment}/{task}: expected {expected}, got {grade}")
    assert not wrong, "\n".join(wrong)
    graded = {(s, a) for s, a, _ in result.grades}
    assert graded == {(s, a) for a, rows in EXPECTED.items() for s in rows}


def test_autograde_finishes_for_everyone_even_when_a_kernel_dies(cycle):
    result, _ = cycle
    for assignment, run in result.autograde.items():
        assert run.returncode == 0, run.output[-3000:]
    for student, assignment in result.submitted:
        assert (result.course.root / "autograded" / student / assignment / f"{assignment}.ipynb").exists()
        assert result.course.feedback_file(student, assignment).exists()


def test_the_csv_export_has_every_total(cycle):
    result, _ = cycle
    with result.csv.open() as file:
        rows = {(row["student_id"], row["assignment"]): row for row in csv.DictReader(file)}
    for assignment, students in EXPECTED.items():
        for student, row in students.items():
            exported = rows[(student, assignment)]
            total = sum(value for value in row.values() if value != "m")
            assert float(exported["raw_score"]) == total, (student, assignment)
            assert float(exported["max_score"]) == sum(
                grade.max_score for (s, a, _), grade in result.grades.items() if s == student and a == assignment)


def feedback(result, student, assignment) -> str:
    return html.unescape(result.course.feedback_file(student, assignment).read_text())


def test_feedback_gives_the_one_sentence_reason(cycle):
    result, _ = cycle
    dirk = feedback(result, "dirk", "layers")
    assert "Almost: don't forget the bias, one extra number per filter." in dirk
    assert "You took the average of each 2x2 block; max pooling keeps the largest number." in dirk
    assert "You turned the filter around." in dirk
    dirk = feedback(result, "dirk", "break_the_model")
    assert "Your model still has BatchNormalization layers (1 left). Remove all of them." in dirk
    assert "You made 3 layer edits, but here you may use at most 2" in dirk
    ada = feedback(result, "ada", "break_the_model")
    assert ada.count("Verdict: ") == 4  # the three removals and the smallest break, trained by the grader
    assert "AssertionError" not in ada


def test_odd_submissions_lose_only_what_they_broke(cycle):
    result, _ = cycle
    notebook = {s: nbformat.read(result.course.root / "autograded" / s / "layers" / "layers.ipynb", as_version=4)
                for s in ODD}

    def errors(student, grade_id):
        cell = next(c for c in notebook[student].cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        return [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]

    assert any("MemoryError" in e for e in errors("gina", "max_pool"))  # the kernel's memory limit
    assert any(e.startswith(("CellTimeoutError", "KeyboardInterrupt")) for e in errors("finn", "convolve"))
    assert any("did not run" in e for e in errors("kim", "convolve"))
    assert any("Python stopped completely" in e for cell in notebook["kim"].cells
               for e in [f"{o.get('evalue')}" for o in cell.get("outputs", []) if o.output_type == "error"])
    assert any("gave back nothing" in e for e in errors("ines", "normalise"))  # the real check, loaded afresh
    assert any("did not get to your answer" in e for e in errors("jon", "normalise"))


def test_without_the_outside_judge_jon_would_have_passed(cycle):
    _, unguarded = cycle
    layers = {task: grade for (s, a, task), grade in unguarded.items() if a == "layers"}
    assert layers and all(grade.score == grade.max_score for grade in layers.values())


def test_dutch_feedback_is_dutch(cycle):
    """The Dutch class gets the same reasons, in Dutch, and the grader's own lines in Dutch too."""
    from smiley_checks.messages import catalogue

    def dutch(english: str) -> str:
        texts = next(texts for texts in catalogue().values() if texts["en"].startswith(english))
        return texts["nl"]

    result, _ = cycle
    dirk = feedback(result, "dirk", "lagen")
    assert dutch("You turned the filter around.") in dirk and "You turned the filter around." not in dirk
    ada = feedback(result, "ada", "breek_het_model")
    assert ada.count("Oordeel: ") == 4 and "Verdict: " not in ada
