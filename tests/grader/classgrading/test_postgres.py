"""The gradebook in PostgreSQL (nbgrader's `db_url`): three students graded 2 at a time, the job table beside it.

Needs the Debian `postgresql` package (initdb, pg_ctl) and psycopg2 in the venv; skipped
otherwise. The test starts its own server on 127.0.0.1 in a temporary folder and stops it.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from expected_scores import EXPECTED

pytestmark = pytest.mark.slow
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# .ci/run installs PostgreSQL and sets this: in CI a missing server is a failure, not a skip.
REQUIRED = os.environ.get("SMILEY_CHECKS_REQUIRE_POSTGRES") == "1"


def _missing(message):
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)
STUDENTS = ("ada", "dirk", "kim")


def _bin(name):
    found = PG_BIN / name if (PG_BIN / name).exists() else shutil.which(name)
    if not found:
        _missing(f"PostgreSQL's {name} is not installed (apt-get install postgresql)")
    return str(found)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        _missing("psycopg2-binary is not installed")
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    # Its own folder in /tmp: as root, the server runs as user postgres, who cannot enter pytest's folders.
    folder = Path(tempfile.mkdtemp(prefix="smiley-pg-"))
    data = folder / "data"
    as_user = []
    if os.geteuid() == 0:  # PostgreSQL does not run as root
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True, capture_output=True, text=True)  # noqa: E731
    run(initdb, "-D", str(data), "-A", "trust", "-U", "teacher", "--no-sync")
    run(pg_ctl, "-D", str(data), "-l", str(folder / "server.log"), "-w", "start", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off")
    try:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=port, user="teacher", dbname="postgres")
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE gradebook")
        connection.close()
        yield f"postgresql+psycopg2://teacher@127.0.0.1:{port}/gradebook"
    finally:
        run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def test_grading_into_postgresql(postgres, tmp_path):
    from smiley_grader.classgrading.database import db_url, grades
    from smiley_grader.classgrading.example import collected_class
    from smiley_grader.classgrading.run import grade_class

    assert db_url(tmp_path, postgres) == postgres  # used as given
    course, students = collected_class(tmp_path, "layers", STUDENTS, db_url=postgres)
    run = grade_class(course.root, "layers", workers=2, url=postgres, env={"HOME": str(course.home("teacher"))})
    assert not run.failed and not run.problems, (run.failed, run.problems)
    scores = {(g.student, g.task): g.score for g in grades(postgres, "layers")}
    assert scores == {(s, t): v for s in STUDENTS for t, v in EXPECTED["layers"][s].items()}
    assert run.csv.read_text().count("layers,") == len(STUDENTS)
    # The job table went to the same server (workers on other machines reach it), not to a file.
    from smiley_grader.classgrading.jobs import JobTable, jobs_url

    assert jobs_url(course.root, postgres) == postgres and not (course.root / "classgrading" / "jobs.db").exists()
    jobs = JobTable(postgres).jobs()
    assert sorted((j.student, j.state, j.attempts) for j in jobs) == [(s, "graded", 1) for s in STUDENTS]
