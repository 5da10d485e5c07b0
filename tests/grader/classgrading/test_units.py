"""The parts of class grading that need no nbgrader run: progress, retries, the report."""

import io
import sys
from pathlib import Path

from smiley_grader.classgrading import worker
from smiley_grader.classgrading.database import CellGrade, db_url
from smiley_grader.classgrading.progress import Progress
from smiley_grader.classgrading.report import BreakGroup, ClassData, render
from smiley_grader.classgrading.worker import StudentResult


def test_sqlite_url_waits_for_a_busy_writer(tmp_path):
    assert db_url(tmp_path).endswith("gradebook.db?timeout=120")
    assert db_url(tmp_path, "sqlite:///x.db?mode=rw", 9) == "sqlite:///x.db?mode=rw&timeout=9"
    assert db_url(tmp_path, "postgresql://u@localhost/g") == "postgresql://u@localhost/g"


def test_progress_is_one_line_per_finished_student(english):
    out = io.StringIO()
    progress = Progress(5, 2, stream=out, clock=lambda: 10.0)
    progress.skip("ada")
    progress.finish("bert", ok=True, seconds=20)
    progress.finish("chloe", ok=False, seconds=20)
    lines = out.getvalue().splitlines()
    assert lines == ["bert: graded (20s) | graded 2/5 (skipped 1), running 2, failed 0, 0s so far, about 20s left",
                     "chloe: NOT graded (20s) | graded 3/5 (skipped 1), running 2, failed 1, 0s so far, about 10s left"]
    assert progress.left_seconds() == 10.0  # (0 waiting + 2 running x 0.5) x 20 s / 2 slots


def test_progress_speaks_dutch_too(english):
    from smiley_checks.messages import set_language

    set_language("nl")  # the english fixture sets it back
    out = io.StringIO()
    Progress(2, 1, stream=out, clock=lambda: 0.0).finish("ada", ok=False, seconds=3)
    assert out.getvalue() == "ada: NIET verbeterd (3s) | verbeterd 1/2 (overgeslagen 0), bezig 1, mislukt 1, 0s tot nu, nog ongeveer 2s\n"


def test_a_locked_gradebook_is_retried(tmp_path, monkeypatch, english):
    counter = tmp_path / "count"
    script = tmp_path / "fake.py"
    script.write_text(
        "import pathlib, sys\n"
        f"p = pathlib.Path({str(counter)!r}); n = int(p.read_text()) if p.exists() else 0\n"
        "p.write_text(str(n + 1))\n"
        "if n < 2: print('sqlite3.OperationalError: database is locked'); sys.exit(1)\n"
        "print('graded')\n")
    monkeypatch.setattr(worker, "autograde_command", lambda *a, **k: [sys.executable, str(script)])
    result = worker.grade_student("ada", "layers", tmp_path, "sqlite:///x", log_dir=tmp_path / "logs")
    assert (result.status, result.attempts) == ("graded", 3)
    counter.write_text("-5")
    result = worker.grade_student("ada", "layers", tmp_path, "sqlite:///x", log_dir=tmp_path / "logs", retries=1)
    assert result.status == "failed" and "locked" in result.reason


def test_a_worker_over_its_time_is_stopped_and_marked(tmp_path, monkeypatch, english):
    monkeypatch.setattr(worker, "autograde_command",
                        lambda *a, **k: [sys.executable, "-c", "import time; time.sleep(60)"])
    result = worker.grade_student("finn", "layers", tmp_path, "sqlite:///x", log_dir=tmp_path / "logs", timeout=1)
    assert result.status == "failed" and "longer than 1 s" in result.reason
    assert result.seconds < 10


def test_report_is_one_self_contained_html_file(english):
    grades = [CellGrade(s, t, score, 2, False) for s, scores in {"ada": (2, 2), "bert": (0, 2), "kim": (2, 0)}.items()
              for t, score in zip(("normalise", "smallest_break"), scores)]
    results = {"ada": StudentResult("ada", "graded", seconds=12), "bert": StudentResult("bert", "failed", reason="killed"),
               "kim": StudentResult("kim", "graded", notes=["grade.note.kernel_died"], seconds=9)}
    breaks = [BreakGroup("All BatchNormalization layers removed.", ["ada", "bert"], ["Verdict: broken"]),
              BreakGroup("-", ["kim"], ["-"])]
    text = render(ClassData("break_the_model", grades, results, breaks))
    assert text.count("data:image/png;base64,") == 3
    assert "src='http" not in text and "<script" not in text
    assert "Verdict: broken" in text and "the kernel died" in text and "killed" in text
    assert "All BatchNormalization layers removed." in text
    assert "2 of 3 students graded. Not graded: bert." in text


def test_cli_refuses_a_folder_without_a_course(tmp_path, capsys, english):
    from smiley_checks.cli import main

    assert main(["grade", "layers", "--course", str(tmp_path)]) == 2
    assert "not an nbgrader course folder" in capsys.readouterr().err
    assert main(["grade", "layers", "--workers", "0"]) == 2


def test_who_is_graded_already(tmp_path):
    from smiley_grader.classgrading.state import is_graded

    def put(folder, stamp):
        path = tmp_path / folder / "ada" / "layers"
        path.mkdir(parents=True, exist_ok=True)
        (path / "timestamp.txt").write_text(stamp)
        (path / "layers.ipynb").write_text("{}")

    assert not is_graded(tmp_path, "layers", "ada", None)
    put("submitted", "2026-01-01 10:00:00 UTC")
    put("autograded", "2026-01-01 10:00:00 UTC")
    assert is_graded(tmp_path, "layers", "ada", None)
    assert is_graded(tmp_path, "layers", "ada", StudentResult("ada", "graded"))
    assert not is_graded(tmp_path, "layers", "ada", StudentResult("ada", "failed"))
    put("submitted", "2026-01-02 09:00:00 UTC")  # handed in again, collected again
    assert not is_graded(tmp_path, "layers", "ada", None)


def test_smallest_breaks_are_grouped_by_what_the_students_changed(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from smiley_grader.classgrading.report import smallest_breaks

    def graded(student, changes, *outputs):
        """A test cell as rejudge leaves it: the judge's outputs, a model answer, the grader's metadata."""
        from smiley_grader.nbgrader_plugin import remember

        model_answer = new_output("display_data", data={"text/plain": "Model answer:\ndef build_smallest_break():"})
        cell = new_code_cell("# hidden test", outputs=[*outputs, model_answer])
        cell.metadata["nbgrader"] = {"grade_id": "smallest_break", "grade": True, "solution": False, "points": 3}
        said = outputs[0].get("data", {}).get("text/plain") or outputs[0].get("evalue")
        remember(cell, changes, said + "\nIn 5 tries your model never did better than guessing.")
        path = tmp_path / "autograded" / student / "break_the_model" / "break_the_model.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(new_notebook(cells=[new_code_cell("x = 1"), cell]), path)

    no_bn = "All BatchNormalization layers removed."
    graded("ada", no_bn, new_output("display_data", data={"text/plain": "Verdict: unreliable"}))
    graded("emma", no_bn, new_output("display_data", data={"text/plain": "Verdict: broken"}))  # other compile settings
    graded("dirk", "head: Dense(2, softmax) now has activation relu instead of softmax.",
           new_output("error", ename="AssertionError", evalue="Still reliable", traceback=[]))
    graded("bert", "", new_output("error", ename="AssertionError", evalue="Not attempted", traceback=[]))
    graded("chloe", "", new_output("error", ename="AssertionError", evalue="Not attempted", traceback=[]))
    groups = smallest_breaks(tmp_path, "break_the_model", ["ada", "bert", "chloe", "dirk", "emma", "nobody"])
    # Without a change (the grader never saw the network) the change reads "-", grouped by what was said.
    assert [(g.change, g.students, g.outcomes) for g in groups] == [
        ("-", ["bert", "chloe"], ["Not attempted"]),
        (no_bn, ["ada", "emma"], ["Verdict: unreliable", "Verdict: broken"]),
        ("head: Dense(2, softmax) now has activation relu instead of softmax.", ["dirk"], ["Still reliable"]),
    ]


# What the example class's autograded notebooks hold (2026-12-04): a 13-edit change, a verdict with
# every seed's accuracy, a failure message of many sentences; before the grader kept its own line,
# a failed cell's error and the model answer's code were all the report could read.
THIRTEEN_EDITS = " ".join(f"block {n}: Conv2D({2 ** n} filters) now has trainable False instead of True "
                          "(whether the layer learns)." for n in range(1, 14))
MODEL_ANSWER = "Model answer:\ndef build_smallest_break():\n    layers = [\n        keras.layers.InputLayer(...)"
TOO_MANY = ("Not yet: You made 13 layer edits, but here you may use at most 2: " + THIRTEEN_EDITS)
VERDICT = ("Verdict: learns nothing. In 5 tries your model never did better than guessing (8 s). "
           "Accuracy on new drawings in each try: NaN (blew up), 0.50, 0.50, 0.50, 0.50.")


def autograded_break(root, student, *outputs, about=None):
    """A student's autograded smallest_break cell: its outputs, the model answer, the grader's metadata."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    model_answer = new_output("display_data", data={"text/plain": MODEL_ANSWER},
                              metadata={"smiley_checks_model_answer": True})
    cell = new_code_cell("# hidden test", outputs=[*outputs, model_answer])
    cell.metadata["nbgrader"] = {"grade_id": "smallest_break", "grade": True, "solution": False, "points": 3}
    if about is not None:
        cell.metadata["smiley_checks"] = about
    path = root / "autograded" / student / "break_the_model" / "break_the_model.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(new_notebook(cells=[cell]), path)


def breaks_table_rows(text):
    """The rows of the smallest breaks table: per column, the lines (divs) of each cell."""
    import re

    table = text[text.index("<table class='breaks'>"):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    lines = lambda cell: re.findall(r"<div>(.*?)</div>", cell, re.S) or cell.split("<br>")  # noqa: E731
    return [[lines(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[2:]] for row in rows]


def test_each_break_row_says_each_fact_in_one_line(tmp_path, english):
    """The change, what the grader said and the diagnosis: one short line each, never the model answer's
    code, and a change column that is not a copy of what was said (before: both columns the whole message)."""
    from nbformat.v4 import new_output

    from smiley_grader.classgrading.report import smallest_breaks

    error = new_output("error", ename="AssertionError", evalue=TOO_MANY + "\n" + MODEL_ANSWER, traceback=[])
    shown = new_output("display_data", data={"text/plain": "Grader: " + VERDICT})
    # An old notebook: nothing in the metadata, the kernel's error with the model answer's code after it.
    autograded_break(tmp_path, "noor", error)
    # Another one from before: the error, no change known; and one whose remembered text ran on over lines.
    autograded_break(tmp_path, "otto", error, about={"said": TOO_MANY + "\n" + MODEL_ANSWER})
    autograded_break(tmp_path, "ada", shown, about={"changes": THIRTEEN_EDITS, "said": VERDICT + "\n" + MODEL_ANSWER,
                                                    "diagnosis": "The loss became NaN at step 3.\nstep 1: 0.69"})
    autograded_break(tmp_path, "mats", shown)  # old, passed: the grader's shown verdict, its label taken off
    # The change known: what was said leaves out the edits the change column shows.
    dropouts = " ".join(f"block {n}: the Dropout(0.1) after MaxPooling2D(2x2) is missing." for n in (1, 2, 3))
    autograded_break(tmp_path, "dirk", error, about={
        "changes": dropouts, "said": "Not yet: You made 3 layer edits, but here you may use at most 2: " + dropouts})
    groups = smallest_breaks(tmp_path, "break_the_model", ["ada", "dirk", "mats", "noor", "otto"])
    text = render(ClassData("break_the_model", [CellGrade("ada", "smallest_break", 3, 3, False)], {}, groups))
    rows = breaks_table_rows(text)
    assert len(rows) == 4 and "def build_smallest_break" not in text and "Model answer" not in text
    for change, said, diagnosis in (row + [["-"]] * (3 - len(row)) for row in rows):
        assert len(change) == 1 and len(said) == 1 and len(diagnosis) == 1, rows
        assert all("\n" not in line and 0 < len(line) <= 140 for line in change + said + diagnosis), rows
        assert change != said
    short_verdict = "Verdict: learns nothing. Accuracy on new drawings in each try: NaN (blew up), 0.50, 0.50, 0.50, 0.50."
    assert [(g.students, row[0][0], row[1][0], row[2][0]) for g, row in zip(groups, rows)] == [
        (["noor", "otto"], "-", "Not yet: You made 13 layer edits, but here you may use at most 2: block 1: "
                                "Conv2D(2 filters) now has trainable False instead of True…", "-"),
        (["mats"], "-", short_verdict, "-"),
        (["ada"], "block 1: Conv2D(2 filters) now has trainable False instead of True (whether the layer learns). "
                  "(and 12 more)", short_verdict, "The loss became NaN at step 3."),
        (["dirk"], "block 1: the Dropout(0.1) after MaxPooling2D(2x2) is missing. block 2: the Dropout(0.1) after "
                   "MaxPooling2D(2x2) is missing. (and 1 more)", "Not yet: You made 3 layer edits, but here you may use "
                   "at most 2.", "-"),
    ]


def test_one_line_in_dutch_keeps_the_verdicts_accuracies_and_counts_the_edits_left():
    from smiley_checks.messages import set_language
    from smiley_grader.classgrading.one_line import change_line, said_line

    set_language("nl")
    try:
        verdict = ("Oordeel: onbetrouwbaar. Soms leert je model het, soms niet (5 pogingen, 40 s). Dat telt al als kapot. "
                   "Juistheid op nieuwe tekeningen bij elke poging: 0.97, 0.50, 0.96, 0.50, 0.95.")
        assert said_line(verdict + "\nModelantwoord:\ndef build_smallest_break():") == \
            "Oordeel: onbetrouwbaar. Juistheid op nieuwe tekeningen bij elke poging: 0.97, 0.50, 0.96, 0.50, 0.95."
        edits = "blok 1: de Dropout(0.1) na MaxPooling2D(2x2) ontbreekt. " * 3
        assert change_line(edits) == ("blok 1: de Dropout(0.1) na MaxPooling2D(2x2) ontbreekt. "
                                      "blok 1: de Dropout(0.1) na MaxPooling2D(2x2) ontbreekt. (en nog 1)")
        assert change_line("Alle BatchNormalization-lagen weggehaald.") == "Alle BatchNormalization-lagen weggehaald."
        assert change_line("") == said_line(None) == ""
    finally:
        set_language("en")


def test_the_grader_remembers_the_verdict_of_a_break_that_still_learns(monkeypatch, english):
    """The line the report shows: the verdict with every seed's accuracy, also when it fails the task
    (before: "Your change is small enough, but...", without the verdict); a diagnosis when there is one."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from smiley_checks.tasks.records import MIME, failed
    from smiley_grader import judge
    from smiley_grader.nbgrader_plugin import remember, rejudge

    verdict = "Verdict: reliable. Your model learned to tell the smileys apart every time (5 of 5 tries, 40 s)."
    outcome = failed("Your change is small enough, but the network still learned in every try.", verdict)
    monkeypatch.setattr(judge, "judge_outside", lambda items, **kwargs: [outcome for _ in items])
    cell = new_code_cell("# hidden test", outputs=[new_output("display_data", data={
        MIME: {"task": "smallest_break", "model": "{}"}, "text/plain": ""})])
    cell.metadata["nbgrader"] = {"grade_id": "smallest_break", "grade": True, "solution": False, "points": 3}
    rejudge(new_notebook(cells=[cell]))
    assert cell.metadata["smiley_checks"] == {"said": verdict}
    remember(cell, "head: Dropout(0.1) now has rate 0.15 instead of 0.1.", verdict, "It learns.\nstep 1: 0.69")
    assert cell.metadata["smiley_checks"]["diagnosis"] == "It learns."


def test_time_plot_names_every_student_of_a_whole_class():
    # Upright bars with 30 names under them overlapped; one row per student keeps each name apart.
    import matplotlib

    matplotlib.use("Agg")
    from smiley_grader.classgrading.report import figures

    students = [f"student{n:02d}" for n in range(30)]
    results = {s: StudentResult(s, "graded", seconds=10 + n) for n, s in enumerate(students)}
    figure = figures(ClassData("layers", [], results, []))["time"]
    axes = figure.axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == students
    figure.canvas.draw()
    boxes = [label.get_window_extent() for label in axes.get_yticklabels()]
    assert all(upper.y0 >= lower.y1 - 0.5 for upper, lower in zip(boxes, boxes[1:]))


def test_report_says_plainly_when_every_student_was_graded(english):
    results = {"ada": StudentResult("ada", "graded", seconds=12), "kim": StudentResult("kim", "graded", seconds=9)}
    text = render(ClassData("layers", [], results, []))
    assert "All 2 students graded." in text and "Not graded" not in text


def test_grade_refuses_without_a_sandbox_in_one_line_unless_unsandboxed(tmp_path, capsys, monkeypatch, english):
    from smiley_checks.cli import main
    from smiley_grader import sandbox

    monkeypatch.setattr(sandbox, "bwrap", lambda: None)  # a machine without bubblewrap
    (tmp_path / "nbgrader_config.py").write_text("")
    assert main(["grade", "layers", "--course", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "bubblewrap (bwrap) is not installed" in err and "--unsandboxed" in err
    # With the flag it says so and goes on (to the next problem of this empty course).
    assert main(["grade", "layers", "--course", str(tmp_path), "--unsandboxed"]) == 2
    out = capsys.readouterr()
    assert "WITHOUT a sandbox" in out.out and "Nobody handed in layers" in out.err


def test_notes_name_the_limit_a_notebook_hit(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from smiley_grader.classgrading.notes import notebook_notes

    errors = [("BlockingIOError", "[Errno 11] Resource temporarily unavailable"), ("OSError", "[Errno 27] File too large"),
              ("OSError", "[Errno 28] No space left on device"), ("ConnectionRefusedError", "[Errno 111] Connection refused"),
              ("OperationalError", "unable to open database file"), ("NotebookTimeLimit", "Your notebook ran for more"),
              ("ZeroDivisionError", "division by zero")]
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output("error", ename=name, evalue=text, traceback=[])])
                             for name, text in errors])
    path = tmp_path / "autograded" / "ada" / "layers" / "layers.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(nb, path)
    assert notebook_notes(tmp_path, "ada", "layers") == [
        "grade.note.processes", "grade.note.file_size", "grade.note.disk", "grade.note.network", "grade.note.files",
        "grade.note.notebook_time"]  # and nothing for an ordinary mistake


def test_the_report_groups_the_trained_breaks_by_the_doctors_diagnosis(tmp_path, english):
    """Different changes that break a network the same way share a row; a network the grader never trained
    is not in this table (the first table has it); no diagnosis in any try reads "nothing found"."""
    from smiley_grader.classgrading.report import breaks_by_diagnosis, smallest_breaks

    relu = "head: Dense(2, softmax) now has activation relu instead of softmax."
    linear = "head: Dense(2, softmax) now has activation linear instead of softmax."
    autograded_break(tmp_path, "ada", about={"changes": relu, "diagnosis": "loss NaN (0, 1, 2, 3, 4)",
                                             "main_diagnosis": "nan_loss"})
    autograded_break(tmp_path, "bert", about={"changes": linear, "diagnosis": "loss NaN (0, 1); nothing found (2, 3, 4)",
                                              "main_diagnosis": "nan_loss"})
    autograded_break(tmp_path, "chloe", about={"changes": relu, "diagnosis": "loss NaN (0, 1, 2, 3, 4)",
                                               "main_diagnosis": "nan_loss"})
    autograded_break(tmp_path, "dirk", about={"changes": "block 1: the Dropout(0.1) is missing.",
                                              "diagnosis": "nothing found (0, 1, 2, 3, 4)"})
    autograded_break(tmp_path, "emma", about={"said": "Not yet: you made 3 layer edits."})  # never trained
    autograded_break(tmp_path, "finn", about={"changes": relu, "diagnosis": "x", "main_diagnosis": "<script>"})
    students = ["ada", "bert", "chloe", "dirk", "emma", "finn"]
    groups = breaks_by_diagnosis(tmp_path, "break_the_model", students)
    assert [(g.code, g.students, g.changes) for g in groups] == [
        ("nan_loss", ["ada", "bert", "chloe"], [relu, linear]),
        ("none", ["dirk", "finn"], ["block 1: the Dropout(0.1) is missing.", relu]),  # an unknown code: none
    ]
    text = render(ClassData("break_the_model", [CellGrade("ada", "smallest_break", 3, 3, False)], {},
                            smallest_breaks(tmp_path, "break_the_model", students), groups))
    table = text[text.index("<table class='doctor'>"):]
    assert "loss NaN</td><td>3</td><td>ada, bert, chloe</td>" in table
    assert "nothing found</td><td>2</td><td>dirk, finn</td>" in table and "<script>" not in text


def test_the_grader_replaces_whatever_a_student_put_in_its_metadata():
    """A student may write any metadata into her notebook; the report reads only what the judge wrote."""
    from nbformat.v4 import new_code_cell

    from smiley_grader.nbgrader_plugin import remember

    cell = new_code_cell("# hidden test")
    cell.metadata["smiley_checks"] = {"changes": "nothing", "diagnosis": "found by me", "main_diagnosis": "nan_loss"}
    remember(cell, "", "")
    assert "smiley_checks" not in cell.metadata
    cell.metadata["smiley_checks"] = {"diagnosis": "found by me"}
    remember(cell, "", "Verdict: reliable", "", "not_a_code")
    assert cell.metadata["smiley_checks"] == {"said": "Verdict: reliable"}
