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
    groups = smallest_breaks(tmp_path, "break_the_model", ["ada", "bert", "dirk", "emma", "nobody"])
    assert [(g.change, g.students, g.outcomes) for g in groups] == [
        (no_bn, ["ada", "emma"], ["Verdict: unreliable", "Verdict: broken"]),
        ("Not attempted", ["bert"], ["Not attempted"]),
        ("head: Dense(2, softmax) now has activation relu instead of softmax.", ["dirk"], ["Still reliable"]),
    ]


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
