"""The student package does not know the grader (docs/student-and-grader.md): `smiley_checks` never
imports `smiley_grader`, so a students' environment without the grader works, and the grader adds its
commands and messages through entry points. import-linter checks the imports it can see (the contract
in pyproject.toml); a grep finds the grader's name anywhere in the student package, which is how an
import by string (importlib, `resources.files("smiley_grader")`) would show."""

import shutil
import subprocess
import sys
from pathlib import Path

from smiley_checks.dataset.layout import REPO_ROOT

LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
GRADER_NAME = "smiley_grader"


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    """import-linter with the contract of folder/pyproject.toml, on the packages found in folder first."""
    return subprocess.run([sys.executable, "-c", LINT, "--no-cache"], cwd=folder, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(folder)})


def copy_of_both_packages(folder: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO_ROOT / "smiley_checks", folder / "smiley_checks", ignore=ignore)
    shutil.copytree(REPO_ROOT / "grader" / "smiley_grader", folder / "smiley_grader", ignore=ignore)
    shutil.copy(REPO_ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def test_the_student_package_imports_nothing_of_the_grader():
    done = lint_imports(REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The student package does not import the grader KEPT" in done.stdout


def test_an_import_of_the_grader_breaks_the_contract(tmp_path):
    copy = copy_of_both_packages(tmp_path)
    assert lint_imports(copy).returncode == 0  # the copy as it is passes
    checks = copy / "smiley_checks" / "tasks" / "layers.py"
    checks.write_text(checks.read_text() + "\n\ndef reference():\n    from smiley_grader.layers_key import HIDDEN_INPUTS\n")
    done = lint_imports(copy)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout and "smiley_checks.tasks.layers -> smiley_grader.layers_key" in done.stdout


def mentions_of_the_grader(package: Path) -> list[str]:
    """Every line of the package's files that names the grader package (sources, catalogues, data)."""
    found = []
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            text = path.read_bytes().decode("utf-8", "replace")
            found += [f"{path.relative_to(package)}:{n}: {line.strip()}"
                      for n, line in enumerate(text.splitlines(), 1) if GRADER_NAME in line]
    return found


def test_the_student_package_never_names_the_grader():
    assert mentions_of_the_grader(REPO_ROOT / "smiley_checks") == []


def test_an_import_by_name_is_found_where_import_linter_sees_none(tmp_path):
    copy = copy_of_both_packages(tmp_path)
    messages = copy / "smiley_checks" / "messages" / "__init__.py"
    messages.write_text(messages.read_text() + '\n\nGRADER = __import__("importlib").import_module("smiley_grader.layers_key")\n')
    assert lint_imports(copy).returncode == 0  # import-linter cannot see it ...
    found = mentions_of_the_grader(copy / "smiley_checks")  # ... the grep does
    assert len(found) == 1 and found[0].startswith("messages/__init__.py:"), found
    assert found[0].endswith('import_module("smiley_grader.layers_key")')
