"""The course's secret (grader/smiley_grader/course_secret.py): made once per course folder, private,
never replaced; two courses get different hidden inputs, one course always the same."""

import stat

import pytest

from smiley_checks.errors import SmileyChecksError
from smiley_grader.course_init import init_course
from smiley_grader.course_secret import SECRET_FILE, course_secret, make_secret, secret_path
from smiley_grader.hidden_checks import hidden_inputs_literal


def test_course_init_makes_a_private_secret_in_the_course_folder(tmp_path):
    init_course(tmp_path / "smileys", ("layers",))
    path = tmp_path / "smileys" / SECRET_FILE
    assert path.is_file() and not path.is_symlink()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("# ")  # says what it is and how to make a new one
    assert [p.name for p in (tmp_path / "smileys").iterdir() if p.name.startswith(".smiley-secret")] == []
    assert len(course_secret(tmp_path / "smileys")) == 32


def test_two_courses_get_different_hidden_inputs_and_one_course_always_the_same(tmp_path):
    init_course(tmp_path / "this_year", ("layers",))
    init_course(tmp_path / "other_school", ("lagen",))
    this_year = hidden_inputs_literal(tmp_path / "this_year")
    assert hidden_inputs_literal(tmp_path / "other_school") != this_year
    assert hidden_inputs_literal(tmp_path / "this_year") == this_year  # again, e.g. a second grading run


def test_a_course_from_before_secrets_gets_one_the_first_time_it_is_graded(tmp_path):
    course = tmp_path / "old_course"
    course.mkdir()
    first = hidden_inputs_literal(course)
    assert secret_path(course).exists() and stat.S_IMODE(secret_path(course).stat().st_mode) == 0o600
    assert hidden_inputs_literal(course) == first


def test_a_new_school_year_deletes_the_file_and_gets_new_inputs(tmp_path):
    init_course(tmp_path / "smileys", ("layers",))
    last_year = hidden_inputs_literal(tmp_path / "smileys")
    secret_path(tmp_path / "smileys").unlink()
    assert hidden_inputs_literal(tmp_path / "smileys") != last_year


def test_an_existing_secret_is_never_replaced(tmp_path):
    course = tmp_path / "smileys"
    course.mkdir()
    make_secret(course)
    before = secret_path(course).read_bytes()
    make_secret(course)  # a second grading process at the same moment
    init_course(course, ("layers",))  # course init on a folder that has only a secret
    assert secret_path(course).read_bytes() == before


def test_a_secret_others_may_read_is_made_private(tmp_path):
    make_secret(tmp_path)
    secret_path(tmp_path).chmod(0o644)
    course_secret(tmp_path)
    assert stat.S_IMODE(secret_path(tmp_path).stat().st_mode) == 0o600


@pytest.mark.parametrize("text", ["", "# only a comment\n", "not hex\n", "abcd\n", "00" * 32 + "\n" + "11" * 32])
def test_a_damaged_secret_is_one_sentence(tmp_path, english, text):
    secret_path(tmp_path).write_text(text)
    with pytest.raises(SmileyChecksError, match=r"^The course's secret .* is damaged\. Delete it"):
        course_secret(tmp_path)


def test_a_course_folder_one_may_not_write_in_is_one_sentence(tmp_path, english):
    missing = tmp_path / "no such folder"
    with pytest.raises(SmileyChecksError, match=r"^Cannot make the course's secret"):
        course_secret(missing)
