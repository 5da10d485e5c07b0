"""The course's secret: a random key made once per course folder, from which the grader draws the
`layers` tasks' hidden inputs (hidden_inputs.py).

    secret = course_secret(course_root)     # bytes; made (mode 600) the first time a course needs it

It lives in the course folder, next to gradebook.db, never in release/ or the exchange: the
sandbox mounts only a copy of the graded student's own folder, so no kernel can read it
(tests/sandbox/test_hidden_inputs_channel.py). Two courses, or one course folder in a new school
year after the teacher deleted the file, get other hidden inputs: a feedback file passed on to
next year's class gives nothing away.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

SECRET_FILE = "smiley_course_secret"
SECRET_BYTES = 32
HEADER = ("# The smiley course's secret: the hidden inputs of the layers tasks are drawn from it.\n"
          "# Keep this file private (mode 600). Delete it to get new hidden inputs (e.g. for a new school year).\n")


def secret_path(course_root) -> Path:
    return Path(course_root) / SECRET_FILE


def make_secret(course_root) -> Path:
    """Write a new secret unless the course has one; never replaces an existing file.

    Written to a private temporary file and linked into place, so a second grading process that
    starts at the same moment either wins or reads the complete file of the first."""
    path = secret_path(course_root)
    text = HEADER + secrets.token_hex(SECRET_BYTES) + "\n"
    descriptor, scratch = tempfile.mkstemp(prefix=".smiley-secret-", dir=path.parent)  # mode 600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: create it in one step instead
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
                handle.write(text)
    finally:
        os.unlink(scratch)
    return path


def read_secret(path: Path) -> bytes:
    """The key in `path`; a file that others may read is made private first."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO) and path.stat().st_uid == os.geteuid():
        os.chmod(path, 0o600)
    lines = [line.strip() for line in path.read_text(encoding="ascii", errors="replace").splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    try:
        key = bytes.fromhex(keys[-1]) if len(keys) == 1 else b""
    except ValueError:
        key = b""
    if len(key) < 16:
        raise SmileyChecksError(say("course.secret_damaged", path=path))
    return key


def course_secret(course_root) -> bytes:
    """The course's secret, made the first time (an existing course from before secrets gets one)."""
    path = secret_path(course_root)
    if not path.exists():
        try:
            make_secret(course_root)
        except OSError as error:
            raise SmileyChecksError(say("course.secret_cannot_write", path=path, why=error.strerror or error)) from None
    try:
        return read_secret(path)
    except OSError as error:
        raise SmileyChecksError(say("course.secret_damaged", path=path)) from error
