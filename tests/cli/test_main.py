"""`smiley-checks` itself: its own verbs, and those an installed package adds through the entry point
group `smiley_checks.commands` (the grader's grade, demo, course, gateway); a students' environment has none."""

import re
import subprocess
from importlib.metadata import EntryPoint

import pytest

from smiley_checks import cli
from smiley_checks.cli import COMMANDS_GROUP, VERBS, all_verbs, main

STUDENT_VERBS = list(VERBS)


def listed(help_text: str) -> list[str]:
    """The verbs `--help` lists, in order."""
    return re.findall(r"^    (\w+)\b", help_text, re.M)


@pytest.fixture
def students_environment(monkeypatch):
    """No package adds verbs, as where only smiley_checks is installed."""
    monkeypatch.setattr(cli, "entry_points", lambda group: [])


def test_the_grader_adds_its_verbs_through_entry_points():
    assert all_verbs() == {**VERBS, "course": "smiley_grader.cli.course", "demo": "smiley_grader.cli.demo",
                           "gateway": "smiley_grader.cli.gateway", "grade": "smiley_grader.cli.grade"}


def test_help_in_a_students_environment_shows_only_the_student_verbs(students_environment, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    assert listed(capsys.readouterr().out) == STUDENT_VERBS


def test_help_where_the_grader_is_installed_shows_its_verbs(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert listed(capsys.readouterr().out) == [*STUDENT_VERBS, "course", "demo", "gateway", "grade"]


def test_a_grader_verb_in_a_students_environment_is_one_sentence(students_environment, capsys, english):
    assert main(["grade", "layers", "--workers", "2"]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "Traceback" not in said
    assert "no command 'grade' here" in said and "data, describe" in said and "grader package" in said


def test_the_sentence_follows_lang(students_environment, capsys, english):
    assert main(["--lang", "nl", "course", "init", "x"]) == 2
    assert "Het commando 'course' bestaat hier niet" in capsys.readouterr().err


def test_an_added_verb_whose_module_is_gone_is_one_sentence(monkeypatch, capsys, english):
    ghost = EntryPoint(name="ghost", value="no_such_package.cli.ghost", group=COMMANDS_GROUP)
    monkeypatch.setattr(cli, "entry_points", lambda group: [ghost])
    assert main(["ghost"]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "no_such_package.cli.ghost cannot be loaded" in said


def test_an_added_verb_cannot_replace_ours(monkeypatch):
    impostor = EntryPoint(name="data", value="no_such_package.data", group=COMMANDS_GROUP)
    monkeypatch.setattr(cli, "entry_points", lambda group: [impostor])
    assert all_verbs() == VERBS


def test_the_students_python_runs_smiley_checks_without_the_grader():
    """The students' environment (.venv-student, made by `make venv`): no grader, no error."""
    from smiley_grader.student_kernel import default_student_python

    python = default_student_python()
    assert python, "no students' Python: run `make venv`"
    done = subprocess.run([python, "-m", "smiley_checks", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert listed(done.stdout) == STUDENT_VERBS
    done = subprocess.run([python, "-m", "smiley_checks", "grade", "layers"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "grader package" in done.stderr
