"""smiley_grader.owner_checked_collect: collect takes only each student's own, real files.

Every attack is tried against nbgrader's own collect first (it takes it: the attack works without
the defence), then against ours (refused, one line, the other students collected). The files are
real: real links, a real fifo, a real hard link, really owned by other uids (chown: root only). Only
the account names are looked up in a table instead of the system's (ada and ben are uids with no
account here); the hub test (tests/installed/test_hub_course.py) does it with real accounts.
"""

import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.collect import ExchangeCollect

from smiley_grader import owner_checked_collect
from smiley_grader.isolation import tools_path
from smiley_grader.own_files import NotOwnFiles, check_own_files, copy_own_files
from smiley_grader.owner_checked_collect import OwnerCheckedCollect, owner_expected

ASSIGNMENT = "break_the_model"
TEACHER = os.getuid()  # the one who collects
ADA, BEN = 23456, 23457
ACCOUNTS = {"ada": ADA, "ben": BEN}
NAMES = {uid: name for name, uid in ACCOUNTS.items()}
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="These tests give files to other users (chown), which only root may do; CI runs as root.")


@pytest.fixture(autouse=True)
def accounts(monkeypatch):
    monkeypatch.setattr(owner_checked_collect, "account_uid", ACCOUNTS.get)
    monkeypatch.setattr(owner_checked_collect, "name_of",
                        lambda uid: "juf" if uid == TEACHER else NAMES.get(uid, f"uid {uid}"))


def test_who_must_own_an_entry():
    assert owner_expected("ada", collector_uid=TEACHER) == ADA
    assert owner_expected("zoe", collector_uid=TEACHER) == TEACHER  # no account: the teacher put it there


class Class:
    """An exchange with an inbound, the teacher's course (released notebook, source, gradebook) and
    homes, as on a hub; collect(cls) runs a whole collect into a course folder of its own."""

    def __init__(self, top):
        self.top = top
        self.inbound = top / "exchange" / "smileys" / "inbound"
        self.inbound.mkdir(parents=True)
        self.released = top / "exchange" / "smileys" / "outbound" / ASSIGNMENT
        self.released.mkdir(parents=True)
        (self.released / f"{ASSIGNMENT}.ipynb").write_text("the blank notebook")
        self.source = top / "juf" / "smileys" / "source" / ASSIGNMENT
        self.source.mkdir(parents=True)
        (self.source / f"{ASSIGNMENT}.ipynb").write_text("the teacher's solutions")
        self.gradebook = top / "juf" / "smileys" / "gradebook.db"
        self.lines: list[str] = []

    def hand_in(self, student: str, hour: int, owner: int, notebook: str | None = None, tag: str = "x"):
        folder = self.inbound / f"{student}+{ASSIGNMENT}+2026-12-02 {hour:02d}:00:00.000000 UTC+{tag}"
        folder.mkdir()
        (folder / f"{ASSIGNMENT}.ipynb").write_text(notebook or f"{student}'s own notebook")
        (folder / "timestamp.txt").write_text(f"2026-12-02 {hour:02d}:00:00.000000 UTC")
        give(folder, owner)
        return folder

    def link(self, student: str, hour: int, owner: int, target) -> None:
        link = self.inbound / f"{student}+{ASSIGNMENT}+2026-12-02 {hour:02d}:00:00.000000 UTC+link"
        link.symlink_to(target)
        os.lchown(link, owner, owner)

    def collect(self, cls, caplog) -> dict[str, dict[str, bytes]]:
        """{student: {file: content}} of what was collected."""
        root = self.top / "juf" / "smileys"
        course = CourseDirectory(root=str(root), course_id="smileys", assignment_id=ASSIGNMENT,
                                 db_url=f"sqlite:///{self.gradebook}")
        shutil.rmtree(root / "submitted", ignore_errors=True)
        exchange = cls(coursedir=course, root=str(self.top / "exchange"))
        exchange.log = logging.getLogger("collect-test")
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="collect-test"):
            exchange.start()
        self.lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Not collected")]
        submitted = root / "submitted"
        return {student.name: {str(f.relative_to(student / ASSIGNMENT)): f.read_bytes()
                               for f in (student / ASSIGNMENT).rglob("*") if f.is_file()}
                for student in (submitted.iterdir() if submitted.exists() else [])}


def give(folder, uid: int) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, uid, uid)


@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """Made once (nbgrader makes a new one with `alembic`, 5 s), copied into each test's course."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", tools_path())  # nbgrader runs `alembic` from PATH
        with Gradebook(f"sqlite:///{path}", "smileys"):
            pass
    return path


@pytest.fixture
def school(tmp_path, empty_gradebook):
    tmp_path.chmod(0o755)
    school = Class(tmp_path)
    shutil.copy(empty_gradebook, school.gradebook)
    return school


NOTEBOOK = f"{ASSIGNMENT}.ipynb"


@as_root
def test_a_submission_under_another_students_name_is_not_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    school.hand_in("ada", 11, BEN, "ben's blank notebook", tag="y")  # newer: nbgrader takes the newest
    school.hand_in("ben", 10, BEN)
    assert school.collect(ExchangeCollect, caplog)["ada"][NOTEBOOK] == b"ben's blank notebook"
    collected = school.collect(OwnerCheckedCollect, caplog)
    assert collected["ada"][NOTEBOOK] == b"ada's own notebook"
    assert collected["ben"][NOTEBOOK] == b"ben's own notebook"
    [line] = school.lines
    assert "under the name ada by the account ben" in line


@as_root
def test_a_link_under_her_name_to_the_released_notebook_is_not_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    school.link("ada", 11, BEN, school.released)
    assert school.collect(ExchangeCollect, caplog)["ada"][NOTEBOOK] == b"the blank notebook"  # graded on a blank one
    assert school.collect(OwnerCheckedCollect, caplog)["ada"][NOTEBOOK] == b"ada's own notebook"
    [line] = school.lines
    assert "is a link to other files" in line and "ada+" in line


@as_root
def test_a_link_under_his_own_name_to_the_teachers_source_is_not_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    school.link("ben", 11, BEN, school.source)
    assert school.collect(ExchangeCollect, caplog)["ben"][NOTEBOOK] == b"the teacher's solutions"
    collected = school.collect(OwnerCheckedCollect, caplog)
    assert sorted(collected) == ["ada"]
    [line] = school.lines
    assert "is a link to other files, not a submission ben handed in" in line


@as_root
def test_a_link_inside_a_submission_to_the_gradebook_is_not_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    ben = school.hand_in("ben", 10, BEN)
    (ben / "notes.db").symlink_to(school.gradebook)
    os.lchown(ben / "notes.db", BEN, BEN)
    assert school.collect(ExchangeCollect, caplog)["ben"]["notes.db"].startswith(b"SQLite format 3")
    collected = school.collect(OwnerCheckedCollect, caplog)
    assert sorted(collected) == ["ada"]
    [line] = school.lines
    assert "holds a link (notes.db)" in line


@as_root
def test_a_fifo_inside_is_refused_and_the_class_is_still_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    ben = school.hand_in("ben", 10, BEN)
    os.mkfifo(ben / "wait")
    os.lchown(ben / "wait", BEN, BEN)
    with pytest.raises(shutil.Error, match="named pipe"):  # nbgrader's collect stops for the whole class
        school.collect(ExchangeCollect, caplog)
    assert sorted(school.collect(OwnerCheckedCollect, caplog)) == ["ada"]
    [line] = school.lines
    assert "holds wait, which is no file or folder" in line


@as_root
def test_an_entry_the_teacher_put_there_under_a_students_name_is_not_her_submission(school, caplog):
    school.hand_in("ada", 10, ADA)
    school.hand_in("ada", 11, TEACHER, "a notebook the teacher put there", tag="y")
    assert school.collect(ExchangeCollect, caplog)["ada"][NOTEBOOK] == b"a notebook the teacher put there"
    assert school.collect(OwnerCheckedCollect, caplog)["ada"][NOTEBOOK] == b"ada's own notebook"
    [line] = school.lines
    assert "put in the exchange by you, the teacher, under the name ada" in line


@as_root
def test_a_file_of_someone_else_inside_her_submission_is_refused(school, caplog):
    ada = school.hand_in("ada", 10, ADA)
    (ada / "extra.py").write_text("ben's code")
    os.lchown(ada / "extra.py", BEN, BEN)
    assert school.collect(ExchangeCollect, caplog)["ada"]["extra.py"] == b"ben's code"
    assert school.collect(OwnerCheckedCollect, caplog) == {}
    [line] = school.lines
    assert "holds extra.py, which belongs to the account ben, not to ada" in line


@as_root
def test_a_hard_link_inside_is_refused(school, caplog):
    ben = school.hand_in("ben", 10, BEN)
    elsewhere = school.top / "ben-home"
    elsewhere.mkdir()
    (elsewhere / "answers.txt").write_text("lives elsewhere")
    os.lchown(elsewhere / "answers.txt", BEN, BEN)
    os.link(elsewhere / "answers.txt", ben / "answers.txt")
    assert school.collect(ExchangeCollect, caplog)["ben"]["answers.txt"] == b"lives elsewhere"
    assert school.collect(OwnerCheckedCollect, caplog) == {}
    [line] = school.lines
    assert "holds answers.txt, a file that also has another name" in line


@as_root
def test_a_made_up_name_counts_only_when_the_teacher_handed_it_in(school, caplog):
    """A course on one machine: the teacher hands in the class's files under names that are no
    accounts. A student with an account cannot use such a name (it would only get a made-up
    student graded, but could fill the teacher's grading with them)."""
    school.hand_in("zoe", 10, TEACHER)
    school.hand_in("yara", 10, BEN)
    assert sorted(school.collect(ExchangeCollect, caplog)) == ["yara", "zoe"]
    assert school.collect(OwnerCheckedCollect, caplog) == {"zoe": {NOTEBOOK: b"zoe's own notebook",
                                                                   "timestamp.txt": b"2026-12-02 10:00:00.000000 UTC"}}
    [line] = school.lines
    assert "handed in by the account ben under the name yara, which is no account" in line


@as_root
def test_a_name_without_a_date_is_refused_and_the_class_is_still_collected(school, caplog):
    school.hand_in("ada", 10, ADA)
    odd = school.inbound / f"ben+{ASSIGNMENT}+not a date+x"
    odd.mkdir()
    os.lchown(odd, BEN, BEN)
    with pytest.raises(ValueError):  # nbgrader's collect stops for the whole class
        school.collect(ExchangeCollect, caplog)
    assert sorted(school.collect(OwnerCheckedCollect, caplog)) == ["ada"]
    [line] = school.lines
    assert "has no date nbgrader can read" in line


@as_root
def test_an_older_own_submission_counts_when_the_newest_is_refused(school, caplog):
    school.hand_in("ben", 9, BEN, "ben's first notebook")
    newest = school.hand_in("ben", 10, BEN, tag="y")
    (newest / "solutions").symlink_to(school.source)
    os.lchown(newest / "solutions", BEN, BEN)
    assert school.collect(OwnerCheckedCollect, caplog)["ben"][NOTEBOOK] == b"ben's first notebook"


# --- own_files on its own: what the collect relies on ---

@pytest.fixture
def open_tmp():
    """A folder other uids may enter (pytest's tmp_path is inside root's own folder)."""
    folder = Path(tempfile.mkdtemp(prefix="smiley-collect-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def own_folder(tmp_path):
    folder = tmp_path / "submission"
    (folder / "deeper").mkdir(parents=True)
    (folder / "a.ipynb").write_text("mine")
    (folder / "deeper" / "b.txt").write_text("also mine")
    return folder


def test_own_files_are_copied_with_their_modes_but_never_setuid(tmp_path):
    folder = own_folder(tmp_path)
    (folder / "a.ipynb").chmod(0o4755)
    copy_own_files(str(folder), str(tmp_path / "copy"), os.getuid())
    assert (tmp_path / "copy" / "deeper" / "b.txt").read_text() == "also mine"
    assert stat.S_IMODE((tmp_path / "copy" / "a.ipynb").stat().st_mode) == 0o755


def test_a_link_made_between_the_check_and_the_copy_is_not_read(tmp_path):
    """The student swaps a checked file for a link while the teacher collects: the copy checks every
    file again on the opened file, and takes nothing."""
    folder = own_folder(tmp_path)
    check_own_files(str(folder), os.getuid())
    (folder / "deeper" / "b.txt").unlink()
    (folder / "deeper" / "b.txt").symlink_to(tmp_path / "secret")
    (tmp_path / "secret").write_text("the teacher's")
    with pytest.raises(NotOwnFiles, match="link: deeper/b.txt"):
        copy_own_files(str(folder), str(tmp_path / "copy"), os.getuid())
    assert not (tmp_path / "copy").exists()


def test_a_link_swapped_in_after_the_lstat_is_refused_on_open(tmp_path, monkeypatch):
    """The narrowest race: between the lstat and the open. O_NOFOLLOW makes the open fail."""
    from smiley_grader import own_files

    folder = own_folder(tmp_path)
    (tmp_path / "secret").write_text("the teacher's")
    real_stat = os.stat

    def stat_then_swap(name, *args, **kwargs):
        seen = real_stat(name, *args, **kwargs)
        if name == "a.ipynb":
            (folder / "a.ipynb").unlink()
            (folder / "a.ipynb").symlink_to(tmp_path / "secret")
        return seen

    monkeypatch.setattr(own_files.os, "stat", stat_then_swap)
    with pytest.raises(NotOwnFiles, match="link: a.ipynb"):
        copy_own_files(str(folder), str(tmp_path / "copy"), os.getuid())


def test_folders_nested_too_deep_are_refused(tmp_path):
    folder = own_folder(tmp_path)
    (folder / "/".join(["d"] * 20)).mkdir(parents=True)
    with pytest.raises(NotOwnFiles, match="too_deep"):
        check_own_files(str(folder), os.getuid())


@as_root
def test_a_folder_closed_to_the_teacher_is_refused_not_a_crash(open_tmp):
    """A student may close his own folder (mode 000); the teacher, not root, cannot read it."""
    folder = own_folder(open_tmp)
    give(folder, BEN)
    (folder / "deeper").chmod(0)
    pid = os.fork()
    if pid == 0:  # the teacher: another uid than the student, not root
        try:
            os.setgid(ADA)
            os.setuid(ADA)
            check_own_files(str(folder), BEN)
        except NotOwnFiles as problem:
            os._exit(0 if problem.reason == "unreadable" and problem.path == "deeper" else 2)
        except BaseException:
            os._exit(3)
        os._exit(1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
