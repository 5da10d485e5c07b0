"""smiley_grader.owner_checked_collect: a submission under another student's name is not collected.
(The hub test hands one in for real, as another OS user.)"""

import logging

import pytest
from nbgrader.coursedir import CourseDirectory

from smiley_grader import owner_checked_collect
from smiley_grader.isolation import tools_path
from smiley_grader.owner_checked_collect import OwnerCheckedCollect, forged

ACCOUNTS = {"ada", "ben", "juf"}


def test_only_a_file_of_another_account_is_forged(monkeypatch):
    monkeypatch.setattr(owner_checked_collect, "is_account", lambda name: name in ACCOUNTS)
    assert forged("ada", "ben", collector="juf")  # ben handed in as ada
    assert not forged("ada", "ada", collector="juf")
    assert not forged("ada", "juf", collector="juf")  # the teacher put it there herself
    assert not forged("zoe", "ben", collector="juf")  # no account to compare with (one machine)
    assert not forged("ada", None, collector="juf")


@pytest.fixture
def inbound(tmp_path, monkeypatch):
    """An exchange with ada's own submission, a newer one 'by ada' that ben made, and ben's own."""
    folder = tmp_path / "exchange" / "smileys" / "inbound"
    folder.mkdir(parents=True)
    owners = {"ada+break_the_model+2026-12-02 10:00:00.000000 UTC+aaaa": "ada",
              "ada+break_the_model+2026-12-02 11:00:00.000000 UTC+bbbb": "ben",
              "ben+break_the_model+2026-12-02 10:30:00.000000 UTC+cccc": "ben"}
    for name in owners:
        (folder / name).mkdir()
    # nbgrader's gradebook (for the due date) runs `alembic` from PATH.
    monkeypatch.setenv("PATH", tools_path())
    monkeypatch.setattr(owner_checked_collect, "owner_of", lambda path: owners[path.rsplit("/", 1)[1]])
    monkeypatch.setattr(owner_checked_collect, "is_account", lambda name: name in ACCOUNTS)
    return tmp_path


def collect(tmp_path, cls, caplog):
    course = CourseDirectory(root=str(tmp_path / "course"), course_id="smileys", assignment_id="break_the_model",
                             db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    (tmp_path / "course").mkdir(exist_ok=True)
    exchange = cls(coursedir=course, root=str(tmp_path / "exchange"))
    exchange.log = logging.getLogger("collect-test")
    with caplog.at_level(logging.WARNING, logger="collect-test"):
        exchange.init_src()
    return {record["username"]: record["filename"].split("+")[3] for record in exchange.src_records}


def test_the_students_own_submission_is_collected_not_the_forged_newer_one(inbound, caplog):
    assert collect(inbound, OwnerCheckedCollect, caplog) == {"ada": "aaaa", "ben": "cccc"}
    [line] = [r.getMessage() for r in caplog.records]
    assert "under the name ada by the account ben" in line


def test_nbgraders_own_collect_would_take_the_forged_one(inbound, caplog):
    from nbgrader.exchange.default.collect import ExchangeCollect

    assert collect(inbound, ExchangeCollect, caplog)["ada"] == "bbbb"  # what the defence changes


def test_a_forged_file_alone_is_not_collected(inbound, caplog):
    (inbound / "exchange" / "smileys" / "inbound" / "ada+break_the_model+2026-12-02 10:00:00.000000 UTC+aaaa").rmdir()
    assert collect(inbound, OwnerCheckedCollect, caplog) == {"ben": "cccc"}
