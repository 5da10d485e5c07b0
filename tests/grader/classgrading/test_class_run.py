"""`grade layers --workers 2` on the example class, on the LocalCluster of 2 Dask workers it starts:
the expected scores, a killed autograde,
a rerun that grades only who is missing, and a gradebook held by another writer. The students
who attack the grading (expected_scores.ATTACKS) are graded in the same run, in the sandbox.

One class run (25 students, 2 at a time: 355 s on 2 cores shared with other jobs, 2026-12-04) and one rerun.
"""

import csv
import hashlib
import os
import socket
import sqlite3
import threading
import time

import nbformat
import pytest

from expected_scores import ATTACKS, EXPECTED

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

    def kill_one(student, process):  # runs on the Dask worker that grades the student
        if student == KILLED:
            threading.Timer(2.0, lambda: process.kill()).start()

    helper = AnswerServer()  # pia asks it for the answers, on the port in her port.txt
    (course.root / "submitted" / "pia" / "layers" / "port.txt").write_text(str(helper.port))
    before = outside_hashes(course.root)
    started = time.perf_counter()
    try:
        first = grade_class(course.root, "layers", workers=2, env=env, on_start=kill_one)
    finally:
        helper.close()
    seconds = time.perf_counter() - started
    print(f"class run: {seconds:.0f} s for {len(students)} students")
    scores = {(g.student, g.task): g for g in grades(first.url, "layers")}
    attacks = {"before": before, "after": outside_hashes(course.root), "connections": helper.connections,
               "left": processes_of_attacks()}
    return course, students, first, scores, env, attacks


class AnswerServer:
    """A TCP server on 127.0.0.1 that hands out the teacher's answers to whoever connects."""

    def __init__(self):
        from make_submissions import REPO, LAYERS_ANSWERS, read, solution_code

        source = read(REPO / "source" / "layers" / "layers.ipynb")
        self.answers = "\n\n".join(solution_code(source, cell) for cell in LAYERS_ANSWERS).encode()
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            with connection:
                connection.sendall(self.answers)

    def close(self):
        self.stop.set()
        self.thread.join()
        self.socket.close()


def outside_hashes(root):
    """SHA-256 of every course file no kernel may change: config, source, release, every submission."""
    paths = [root / "nbgrader_config.py"] + [p for folder in ("source", "release", "submitted")
                                             for p in sorted((root / folder).rglob("*")) if p.is_file()]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def processes_of_attacks():
    """Processes still running that the attacking students started (omar's and rik's sleeps), and,
    when grading as root, any process with a sandbox uid."""
    from smiley_grader.sandbox import UID_BASE

    left = []
    for entry in os.listdir("/proc"):
        try:
            if not entry.isdigit():
                continue
            command = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        if another_checkouts(command):
            continue
        if command[:2] in ([b"sleep", b"171"], [b"sleep", b"173"]) or (os.geteuid() == 0 and uid >= UID_BASE):
            left.append((int(entry), command))
    return left


def another_checkouts(command) -> bool:
    """A kernel that another checkout's grader runs on the same (shared developer) machine: its Python
    is that checkout's environment, which no kernel of this run can see or start."""
    from make_submissions import REPO

    program = command[0].decode(errors="replace") if command else ""
    return "/.venv" in program and not program.startswith(str(REPO) + "/")


def test_every_student_is_graded_but_the_killed_one(graded):
    _, students, first, *_ = graded
    assert set(first.results) == set(students) == set(EXPECTED["layers"])
    assert set(first.failed) == {KILLED}
    assert "killed" in first.failed[KILLED].reason
    assert all(r.status == "graded" and r.returncode == 0 for s, r in first.results.items() if s != KILLED)


def test_parallel_scores_are_the_expected_ones(graded):
    _, _, _, scores, *_ = graded
    wrong = [f"{s}/{t}: expected {v}, got {scores.get((s, t))}"
             for s, row in EXPECTED["layers"].items() if s != KILLED for t, v in row.items()
             if (s, t) not in scores or scores[(s, t)].score != v or scores[(s, t)].needs_manual_grade]
    assert not wrong, "\n".join(wrong)


def test_two_students_were_graded_at_the_same_time_on_two_dask_workers(graded):
    _, _, first, *_ = graded
    order = sorted(r.started for r in first.results.values())
    # with 2 workers the second student starts before the first has finished
    assert order[1] - order[0] < min(r.seconds for r in first.results.values() if r.status == "graded")
    assert len({r.worker for r in first.results.values()}) == 2


def test_odd_notebooks_are_graded_with_a_note(graded):
    _, _, first, *_ = graded
    assert "grade.note.kernel_died" in first.results["kim"].notes  # the segfault
    assert "grade.note.memory" in first.results["gina"].notes
    assert "grade.note.timeout" in first.results["finn"].notes
    assert not first.results["ada"].notes


def test_csv_feedback_and_report(graded):
    course, _, first, *_ = graded
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

    course, _, first, before, env, *_ = graded
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


def test_attacks_on_the_grading_get_nothing_and_a_note(graded):
    _, _, first, scores, *_ = graded
    for student, notes in ATTACKS.items():
        assert first.results[student].status == "graded", student
        assert set(first.results[student].notes) == notes, (student, first.results[student].notes)
        assert [scores[(student, t)].score for t in EXPECTED["layers"][student]] == \
            list(EXPECTED["layers"][student].values()), student


def test_attacks_change_no_file_outside_their_sandbox_and_no_extra_credit(graded):
    course, _, first, *_, attacks = graded
    assert attacks["after"] == attacks["before"]
    assert any(name.startswith("submitted/ada/") for name in attacks["before"])  # the copied classmate is in it
    with sqlite3.connect(course.root / "gradebook.db") as db:
        assert db.execute("SELECT count(*) FROM grade WHERE extra_credit IS NOT NULL AND extra_credit != 0").fetchone() == (0,)
    assert not (course.root / "autograded" / "omar" / "layers" / "filler.bin").exists()


def test_no_connection_reached_the_host_and_no_process_is_left(graded):
    course, *_, attacks = graded
    assert (course.root / "autograded" / "pia" / "layers" / "port.txt").exists()  # she had the port
    assert attacks["connections"] == 0
    assert attacks["left"] == []
