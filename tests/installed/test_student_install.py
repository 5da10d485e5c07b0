"""The student install, made the way a JupyterHub image makes it: the wheel of the root package in a
fresh environment, without the grader (tests/installed/conftest.py), used from outside the
repository. It must work (the smileys included) and must hold nothing a student could hand in or
read as an answer."""

import json
import re
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest

from smiley_checks.dataset.layout import REPO_ROOT

pytestmark = pytest.mark.slow


def run_outside(installed, code):
    """`code` with the students' environment's Python, from a folder far from the checkout."""
    elsewhere = installed.top / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run([installed.tool(installed.student_env, "python"), "-c", code], cwd=elsewhere,
                          capture_output=True, text=True, timeout=300,
                          env=installed.shell(installed.top))


def test_it_works_from_any_folder_with_the_shipped_smileys(installed):
    done = run_outside(installed, """
import json, smiley_checks, smiley_checks.checks
from smiley_checks.dataset.layout import data_dir
from smiley_checks.dataset.loader import load_split
split = load_split("val")
print(json.dumps({"package": smiley_checks.__file__, "data": str(data_dir()), "images": len(split.images)}))
""")
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert str(REPO_ROOT) not in found["package"] and str(REPO_ROOT) not in found["data"]
    assert found["images"] > 0


def test_the_grader_cannot_be_imported(installed):
    done = run_outside(installed, "import smiley_grader")
    assert done.returncode == 1 and "No module named 'smiley_grader'" in done.stderr
    done = run_outside(installed, "import smiley_checks.grading")
    assert done.returncode == 1 and "No module named 'smiley_checks.grading'" in done.stderr


def test_smiley_checks_shows_the_student_commands_only(installed):
    """No grader, no error: `smiley-checks` lists its own verbs, and a grader verb is one sentence."""
    elsewhere = installed.top / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    command = installed.tool(installed.student_env, "smiley-checks")
    shell = installed.shell(installed.top, installed.student_env)
    done = subprocess.run([command, "--help"], cwd=elsewhere, capture_output=True, text=True, timeout=120, env=shell)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    listed = re.findall(r"^    (\w+)\b", done.stdout, re.M)
    assert listed == ["data", "describe", "compare", "reliability", "calibrate", "sheets"], done.stdout
    done = subprocess.run([command, "grade", "layers"], cwd=elsewhere, capture_output=True, text=True, timeout=120,
                          env=shell)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "no command 'grade' here" in done.stderr and "grader package" in done.stderr


def solution_lines() -> set[str]:
    """Every line of the teacher's solutions that the released notebooks do not show anyway."""
    lines = set()
    for source in (REPO_ROOT / "source").glob("*/*.ipynb"):
        released = (REPO_ROOT / "release" / source.parent.name / source.name).read_text()
        for cell in nbformat.read(source, as_version=4).cells:
            for region in re.findall(r"BEGIN SOLUTION\n(.*?)\n.*?END SOLUTION", cell.source, re.S):
                for line in region.splitlines():
                    line = line.strip()
                    if len(line) >= 16 and json.dumps(line)[1:-1] not in released:
                        lines.add(line)
    return lines


def test_no_answer_can_be_read_from_the_installed_files(installed):
    with zipfile.ZipFile(installed.wheels["student"]) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode("utf-8", "replace") for name in names
                 if not name.endswith(".png")}
    assert not [name for name in names if "smiley_grader" in name or "/grading/" in name]
    secret = solution_lines()
    assert len(secret) > 10  # the check has something to look for
    leaked = {line for line in secret for text in texts.values() if line in text}
    assert not leaked, leaked
    from smiley_grader import hidden_inputs
    from smiley_grader.course_secret import SECRET_FILE
    from smiley_checks.messages import catalogue

    # The hidden inputs are drawn per course from the course's secret (issue 21): no wheel can hold
    # them, so look for the code that draws them (its HMAC label) and the secret's file name.
    hidden = [hidden_inputs.SEED_LABEL, SECRET_FILE]
    assert all(hidden) and hidden_inputs.SEED_LABEL in Path(hidden_inputs.__file__).read_text()
    key_texts = [text for key, texts in catalogue().items() if key.startswith("key.") for text in texts.values()]
    for text in texts.values():
        assert not [h for h in hidden if h in text]
        assert not [k for k in key_texts if k[:40] in text]
