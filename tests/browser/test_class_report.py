"""The class report's table of smallest breaks, as a teacher's browser shows it: one line per fact.

The report is one HTML file (classgrading/report.py), so no server is needed: it is made from a
small course of autograded break_the_model notebooks written here, with the texts the example
class gives (a 13-edit change, a verdict with every seed's accuracy, an old notebook whose error
has the model answer's code after it), and opened in headless Chromium.
Screenshot: tests/artifacts/browser/report-breaks.png.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from lab_steps import expect

pytestmark = [pytest.mark.browser]

EDITS = " ".join(f"block {n}: Conv2D({2 ** n} filters) now has trainable False instead of True "
                 "(whether the layer learns)." for n in range(1, 6))
MODEL_ANSWER = "Model answer:\ndef build_smallest_break():\n" + "\n".join(
    f"        keras.layers.Conv2D({2 ** n}, (3, 3), activation=\"relu\")," for n in range(12))
VERDICT = ("Verdict: learns nothing. In 5 tries your model never did better than guessing (8 s). "
           "Accuracy on new drawings in each try: NaN (blew up), NaN (blew up), 0.50, 0.50, 0.50.")


def autograded(root, student, outputs, about=None):
    cell = new_code_cell("# hidden test", outputs=[*outputs, new_output(
        "display_data", data={"text/plain": MODEL_ANSWER}, metadata={"smiley_checks_model_answer": True})])
    cell.metadata["nbgrader"] = {"grade_id": "smallest_break", "grade": True, "solution": False, "points": 3}
    if about:
        cell.metadata["smiley_checks"] = about
    path = root / "autograded" / student / "break_the_model" / "break_the_model.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[cell]), path)


def test_each_smallest_break_is_one_line_per_fact(browser, artifacts, tmp_path, english):
    from smiley_grader.classgrading.database import CellGrade
    from smiley_grader.classgrading.report import ClassData, breaks_by_diagnosis, smallest_breaks, write_report
    from smiley_grader.classgrading.worker import StudentResult

    failed = new_output("error", ename="AssertionError", traceback=[],
                        evalue="Not yet: You made 5 layer edits, but here you may use at most 2: " + EDITS + "\n" + MODEL_ANSWER)
    autograded(tmp_path, "noor", [failed])  # autograded before the grader kept its own line
    autograded(tmp_path, "ada", [], {"changes": "head: Dense(2, softmax) now has activation relu instead of softmax.",
                                     "said": VERDICT, "diagnosis": "The loss became NaN at step 3: outputs of 0 for every drawing.",
                                     "main_diagnosis": "nan_loss"})
    autograded(tmp_path, "emma", [], {"changes": EDITS, "said": VERDICT})
    students = ["ada", "emma", "noor"]
    grades = [CellGrade(s, "smallest_break", 3 if s != "noor" else 0, 3, False) for s in students]
    data = ClassData("break_the_model", grades, {s: StudentResult(s, "graded", seconds=12) for s in students},
                     smallest_breaks(tmp_path, "break_the_model", students),
                     breaks_by_diagnosis(tmp_path, "break_the_model", students))
    report = write_report(data, tmp_path / "report.html")

    page = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        page.goto(report.as_uri())
        table = page.locator("table.breaks")
        expect(table).to_be_visible()
        expect(table).not_to_contain_text("def build_smallest_break")
        expect(table.locator("th").last).to_have_text("diagnosis")
        line_height = table.locator("td.said div").first.bounding_box()["height"]
        for row in table.locator("tr").all()[1:]:
            texts = [row.locator(f"td.{column} div").all_inner_texts() for column in ("change", "said", "diagnosis")]
            assert [len(t) for t in texts] == [1, 1, 1] and all(len(t[0]) <= 140 for t in texts), texts
            assert texts[0] != texts[1]
            # A line of up to 140 characters wraps in a narrow column, but a row stays a few lines high
            # (before: the whole message with the model answer's code, dozens of lines).
            assert row.bounding_box()["height"] < 5 * line_height, texts
        expect(table.locator("td.diagnosis")).to_contain_text(["-", "-", "The loss became NaN at step 3"])
        table.scroll_into_view_if_needed()
        table.screenshot(path=str(artifacts / "report-breaks.png"))
        doctor = page.locator("table.doctor")  # the same trained breaks, by the doctor's diagnosis
        expect(doctor.locator("tr")).to_have_count(2)  # emma's network was not trained: not in it
        expect(doctor.locator("td.diagnosis")).to_have_text(["loss NaN"])
        expect(doctor.locator("td.change")).to_contain_text("activation relu instead of softmax")
        doctor.scroll_into_view_if_needed()
        doctor.screenshot(path=str(artifacts / "report-by-diagnosis.png"))
    finally:
        page.close()
