"""The whole cycle with nbgrader's own commands, for the example class of expected_scores.py.

One run (about 5 minutes on 2 cores): release both assignments into a temporary
exchange, fetch and submit as each student (own HOME, own folder), collect,
autograde, generate feedback, export to CSV. Then every grade in the gradebook is
compared with expected_scores.py.
"""

import csv
import html
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

from expected_scores import EXPECTED, LAGEN_ATTACKS, ODD

pytestmark = pytest.mark.slow


OLGA_PTH = "zz_olga_was_here.pth"


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    from smiley_grader.demo_cycle import run_class

    sites = [Path(folder) for folder in sys.path if folder.endswith("site-packages")]
    started = time.perf_counter()
    try:
        result = run_class(tmp_path_factory.mktemp("nbgrader"), log=print)
        result.seconds["test fixture"] = time.perf_counter() - started
        print("cycle timings:", {name: round(seconds) for name, seconds in result.seconds.items()})
        planted = [site / OLGA_PTH for site in sites if (site / OLGA_PTH).exists()]
        yield result, planted
    finally:  # olga's .pth files would run in every later Python of these environments
        for site in sites:
            (site / OLGA_PTH).unlink(missing_ok=True)


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


def test_klaras_lambda_node_is_refused_by_the_judge(cycle):
    """Her record carries a Lambda connected to nothing (config_allowlist): 0, and the reason in one line."""
    result, _ = cycle
    assert result.grades[("klara", "break_the_model", "smallest_break")].score == 0
    assert "and yours has a layer of type Lambda." in feedback(result, "klara", "break_the_model")


def hidden_test_lines(assignment) -> list[str]:
    """Every line of the source notebook's hidden tests, delimiters included."""
    from smiley_checks.dataset.layout import REPO_ROOT

    nb = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    regions = [part.split("END HIDDEN TESTS")[0] for cell in nb.cells for part in cell.source.split("BEGIN HIDDEN TESTS")[1:]]
    return ["BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
            *(line.strip() for region in regions for line in region.splitlines() if line.strip(" #"))]


def test_feedback_shows_results_but_no_hidden_test(cycle):
    # nbgrader #917; grader/smiley_grader/feedback_cells.py. Tags out: pygments splits code lines.
    result, _ = cycle
    for student, assignment in result.submitted:
        page = html.unescape(re.sub(r"<[^>]+>", "", result.course.feedback_file(student, assignment).read_text()))
        shown = [line for line in hidden_test_lines(assignment) if line in page]
        assert not shown, (student, assignment, shown)
    dirk = html.unescape(re.sub(r"<[^>]+>", "", result.course.feedback_file("dirk", "break_the_model").read_text()))
    assert "checks.no_batchnorm.check(build_no_batchnorm)" in dirk  # the visible part of the test cell
    assert "Your model still has BatchNormalization layers (1 left). Remove all of them." in dirk  # its verdict


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
    assert any("did not get to your answer" in e for e in errors("ines", "normalise"))  # her no-op hand_in left no record
    assert any("did not get to your answer" in e for e in errors("jon", "normalise"))
    assert errors("wout", "max_pool") == errors("wout", "convolve") != []  # not run: his helpers passed the cap
    assert any(e.startswith("SandboxMemoryLimit") for cell in notebook["wout"].cells
               for e in [f"{o.get('ename')}: {o.get('evalue')}" for o in cell.get("outputs", []) if o.output_type == "error"])
    assert any("No space left on device" in e for cell in notebook["xander"].cells
               for e in [f"{o.get('evalue')}" for o in cell.get("outputs", []) if o.output_type == "error"])


def test_dutch_notebooks_that_stall_end_within_their_limits_with_a_note(cycle):
    """lagen had no notebook limit (issue 21): yara's slow cells and yentl's cell that ignores the
    interrupt now end within their limits, and every test after them gets 0 with one line, in Dutch."""
    from smiley_checks.messages import say

    result, _ = cycle
    for student, stopped_by in LAGEN_ATTACKS.items():
        nb = nbformat.read(result.course.root / "autograded" / student / "lagen" / "lagen.ipynb", as_version=4)
        errors = [(cell, o) for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"]
        assert [o.ename for _, o in errors][0] == stopped_by, student
        tests = [[o for o in cell.outputs if o.output_type == "error"] for cell in nb.cells
                 if cell.metadata.get("nbgrader", {}).get("grade")]  # (the feedback's model answers: display_data)
        assert all([o.ename for o in found] == ["NotRun"] for found in tests), student
        assert all(found[0].evalue == say("assign.not_run", lang="nl") for found in tests)
        assert "Je notebook" in errors[0][1].evalue or "Deze cel" in errors[0][1].evalue  # Dutch
    # nbgrader's log has a line per notebook: none ran past its limit (the watchdog looks every 0.25 s)
    runs = [tuple(map(int, found)) for found in
            re.findall(r"Sandbox: the sandbox ran (\d+) s \(limit (\d+) s\)", result.autograde["lagen"].output)]
    assert len(runs) == len(EXPECTED["lagen"])
    assert all(ran <= limit + 1 for ran, limit in runs), runs


def test_olga_could_plant_no_fake_grader_and_earned_nothing(cycle):
    """Her kernel runs in the sandbox: the course folder and the environments are out of its reach, so
    nothing was planted (the judge's own -I -S isolation against planted files is tests/grader/test_isolation.py)."""
    result, planted = cycle
    assert not (result.course.root / "smiley_grader").exists() and not (result.course.root / "smiley_checks").exists()
    assert planted == []
    assert all(result.grades[("olga", "layers", task)].score == 0 for task in EXPECTED["layers"]["olga"])


def test_feedback_has_the_teachers_model_answers(cycle):
    """Each checked answer's model answer is in dirk's feedback: a line of the teacher's solution
    that the released notebook does not have (so it can only come from the model answer)."""
    from smiley_checks.dataset.layout import REPO_ROOT
    from smiley_grader.model_answers import solution_text

    result, _ = cycle
    for assignment, cell_ids in (("layers", ("answer_conv2d_params",)),
                                 ("break_the_model", ("answer_smallest_break", "question_smallest_break"))):
        source = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
        released = "\n".join(cell.source for cell in
                             nbformat.read(REPO_ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4).cells)
        page = html.unescape(re.sub(r"<[^>]+>", "", result.course.feedback_file("dirk", assignment).read_text()))
        page = re.sub(r"\s+", " ", page)
        assert "Model answer" in page
        for cell in source.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") in cell_ids:
                marks = r"[`*]" if cell.cell_type == "markdown" else r"`"  # markdown's marks are gone in the HTML
                lines = [line.strip() for line in solution_text(cell.source).splitlines()]
                line = next(line for line in lines if len(line) >= 12 and line not in released)
                words = re.sub(r"\s+", " ", re.sub(marks, "", line))[:60]
                assert words in page, (assignment, words)


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


def test_every_trained_verdict_in_the_feedback_has_the_doctors_word_and_seed_strip(cycle):
    """Issue 22: under each verdict the grader trained, the doctor's lines, its seed strip and the picture
    of its main diagnosis (PNGs the judge drew), in the notebook's language."""
    result, _ = cycle
    for assignment, title in (("break_the_model", "Why? The network's doctor says:"),
                              ("breek_het_model", "Waarom? De dokter van het netwerk zegt:")):
        page = feedback(result, "ada", assignment)
        assert page.count(title) == 4, assignment  # the three removals and the smallest break
        # Four seed strips, and at least the smallest break's picture of its diagnosis (relu: the NaN).
        assert page.count("data:image/png;base64,") >= 5, assignment


def test_only_the_judge_writes_in_a_test_cell(cycle):
    """tara's forged hand_in made every test cell show 'ok' in her kernel; nothing of it is left."""
    from nbgrader.utils import determine_grade, is_grade, is_solution

    result, _ = cycle
    for assignment in ("layers", "break_the_model"):
        nb = nbformat.read(result.course.root / "autograded" / "tara" / assignment / f"{assignment}.ipynb", as_version=4)
        tests = [c for c in nb.cells if c.cell_type == "code" and is_grade(c) and not is_solution(c)]
        assert tests and all(determine_grade(c)[0] == 0 for c in tests), assignment
        assert not [o for c in tests for o in c.outputs if o.output_type in ("execute_result", "stream")]


def test_a_flood_of_output_is_not_kept(cycle):
    result, _ = cycle
    path = result.course.root / "autograded" / "ugo" / "layers" / "layers.ipynb"
    assert path.stat().st_size < 3_000_000  # he printed 90 MB
    printed = "".join(o.get("text", "") for c in nbformat.read(path, as_version=4).cells
                      for o in c.get("outputs", []) if o.output_type == "stream")
    assert "printed far too much" in printed


def test_the_course_secret_stays_private_in_the_course_folder(cycle):
    """The layers tasks' hidden inputs are drawn from it (issue 21): mode 600, and no copy of it in
    release/, the exchange, a student's home, autograded/ or the feedback."""
    import stat

    from smiley_grader.course_secret import SECRET_FILE

    result, _ = cycle
    secret = result.course.root / SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    key = secret.read_text().split()[-1]
    copies = [path for path in result.course.workdir.rglob("*") if path.is_file() and path != secret
              and (path.name == SECRET_FILE or key.encode() in path.read_bytes())]
    assert not copies, copies


def test_saras_scripts_are_shown_as_text_and_a_note_in_her_feedback(cycle):
    """Her outputs and a markdown cell try to run script in whoever's browser opens them; the feedback
    holds them as text (tests/browser/test_student_scripts.py opens the pages in Chromium)."""
    from smiley_checks.messages import say
    from smiley_grader.safe_html import page_of

    result, _ = cycle
    page = result.course.feedback_file("sara", "layers").read_text()
    tokens = page_of(page)
    attributes = [value for token in tokens if token[0] in ("start", "empty") for _, value in token[2]]
    scripts = [tokens[i + 1][1] for i, token in enumerate(tokens[:-1])
               if token[0] == "start" and token[1] == "script" and tokens[i + 1][0] == "text"]
    assert not [text for text in attributes + scripts if "saraRan" in str(text)]
    assert "<script>window.saraRan" in html.unescape(page)  # as text
    assert say("html.script_not_shown") in page
