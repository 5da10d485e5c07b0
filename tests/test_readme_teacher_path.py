"""The README's one-machine teacher path works as written: after `make`, `source .venv/bin/activate`
gives every command the README names, and the commands run, in order, in a fresh shell."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from smiley_checks.dataset.layout import REPO_ROOT

README = REPO_ROOT / "README.md"
TEACHER_HEADING = "## What you do as a teacher"
DEVELOPER_HEADING = "## For developers"
# What the README's block says the students do; the slow test does it as one student, by hand.
STUDENTS_LINE = "# students:"


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.M | re.S)


def teacher_block() -> list[str]:
    section = README.read_text(encoding="utf-8").split(TEACHER_HEADING, 1)[1]
    return code_blocks(section)[0].strip("\n").split("\n")


def teacher_commands() -> set[str]:
    """The first word of every command in the README's code blocks for teachers (not the developers')."""
    text = README.read_text(encoding="utf-8").split(DEVELOPER_HEADING, 1)[0]
    names = set()
    for block in code_blocks(text):
        for line in block.split("\n"):
            line = line.split(" # ")[0].strip()
            if not line or line.startswith("#"):
                continue
            for part in re.split(r"&&|\|\||;|\|", line):
                words = [w for w in shlex.split(part) if not re.match(r"^[A-Z_]+=", w)]
                if words and words[0] not in ("sudo", "cd", "source"):
                    names.add(words[0])
    return names


def fresh_shell(script: str, home: Path, timeout: int) -> subprocess.CompletedProcess:
    """bash with nothing of this test run's environment: a teacher's new terminal in the checkout."""
    env = {"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(["bash", "-e", "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_readme_names_the_teachers_commands():
    assert {"make", "smiley-checks", "nbgrader"} <= teacher_commands()
    lines = teacher_block()
    assert lines[0].startswith("make ") and any(line.startswith("source .venv/bin/activate") for line in lines)
    assert any(line.startswith(STUDENTS_LINE) for line in lines)


def test_after_activate_every_command_the_readme_names_is_there(tmp_path):
    wanted = sorted(teacher_commands() - {"make", "apt-get"})
    script = "source .venv/bin/activate\n" + "\n".join(f"command -v {shlex.quote(name)}" for name in wanted)
    done = fresh_shell(script, tmp_path, timeout=60)
    assert done.returncode == 0, f"not found after activate: {done.stdout}{done.stderr}"
    found = done.stdout.split()
    assert len(found) == len(wanted)
    # Each one runs with .venv's Python (the one with the grader), not .venv-student's.
    for path in found:
        if Path(path).is_file() and Path(path).read_bytes()[:2] == b"#!":
            assert Path(path).read_text().split("\n")[0] == f"#!{REPO_ROOT / '.venv' / 'bin' / 'python'}", path


@pytest.mark.slow
def test_the_one_machine_teacher_path_runs_as_written(tmp_path):
    """The README's block from `source .venv/bin/activate` on, literally (`make` and bubblewrap are this
    test run's own set-up). The students' comment line becomes one student who fetches the
    assignment and hands it in untouched; the exchange is a folder of this test."""
    home = tmp_path / "home"
    course = home / "smileys"
    course.mkdir(parents=True)
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    (course / "students.csv").write_text(f"id,first_name,last_name,email\n{user},Ada,Peeters,\n")
    (home / ".jupyter").mkdir()
    (home / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    (tmp_path / "exchange").mkdir(mode=0o777)
    student = home / "student"
    student.mkdir()
    lines = teacher_block()
    start = next(i for i, line in enumerate(lines) if line.startswith("source .venv/bin/activate"))
    script = []
    for line in lines[start:]:
        if line.startswith(STUDENTS_LINE):
            line = (f"(cd {shlex.quote(str(student))} && nbgrader fetch_assignment breek_het_model --course smileys"
                    " && nbgrader submit breek_het_model --course smileys)")
        script.append(line)
    done = fresh_shell("\n".join(script), home, timeout=1800)
    said = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.returncode == 0, said
    assert (course / "classgrading" / "breek_het_model" / "grades.csv").is_file(), said
    assert list((tmp_path / "exchange" / "smileys" / "feedback").glob("*.html")), f"no feedback released\n{said}"
