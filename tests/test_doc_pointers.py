"""Every file, folder and module the README and docs/ name exists; docs/index.md lists every page."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

from smiley_checks.dataset.layout import REPO_ROOT

DOCS = REPO_ROOT / "docs"
PAGES = [REPO_ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
TOP = ("templates", "source", "release", "smiley_checks", "grader", "data", "tests", "benchmarks", "docs", "tools",
       "hub", ".ci")
SOURCE_FILE = re.compile(r"\.(py|md|json|ipynb|toml|lock)$")
# Names of things a teacher makes, or patterns: not files of this repository.
PATTERN = re.compile(r"[<>*{}]|ASSIGNMENT|\bX\b|\.\.\.")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\n]+)`")
MODULE = re.compile(r"\b(smiley_checks|smiley_grader)((?:\.\w+)+)")


def links(text: str) -> list[str]:
    return [t for t in LINK.findall(text) if not re.match(r"^(https?:|mailto:|#)", t)]


def repo_paths(text: str) -> list[str]:
    """Paths in `code`: those under one of the repository's top folders, and any path to a source file."""
    found = []
    for code in CODE.findall(text):
        for word in code.split():
            word = word.strip(".,:;()'\"").split(":")[0]
            if PATTERN.search(word) or "/" not in word or "://" in word or word.startswith(("~", "/", "$")):
                continue
            if word.split("/")[0] in TOP or SOURCE_FILE.search(word):
                found.append(word)
    return found


def modules(text: str) -> list[str]:
    return sorted({package + rest for package, rest in MODULE.findall(text)})


def entry_point_groups() -> set[str]:
    """The entry-point groups our two pyproject.toml files declare (smiley_checks.commands, ...)."""
    groups = set()
    for path in (REPO_ROOT / "pyproject.toml", REPO_ROOT / "grader" / "pyproject.toml"):
        groups |= set(tomllib.loads(path.read_text()).get("project", {}).get("entry-points", {}))
    return groups


def resolves(dotted: str) -> bool:
    """A module, an attribute of one (smiley_grader.hub.configure), or an entry-point group of ours."""
    if dotted in entry_point_groups():
        return True
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        try:
            for name in parts[cut:]:
                thing = getattr(thing, name)
        except AttributeError:
            return False
        return True
    return False


def missing_pointers(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    missing = []
    for target in links(text):
        path = target.split("#")[0]
        if path and not (page.parent / path).exists():
            missing.append(target)
    for path in repo_paths(text):
        if not ((REPO_ROOT / path).exists() or (page.parent / path).exists()):
            missing.append(path)
    missing += [name for name in modules(text) if not resolves(name)]
    return missing


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_pointer_exists(page):
    assert missing_pointers(page) == []


def test_a_stale_pointer_is_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").touch()
    page = tmp_path / "docs" / "page.md"
    page.write_text("See [the old page](gone.md), `tests/assignments/test_x.py`, `grading/hidden.py` and"
                    " `smiley_checks.grading.demo_cycle`; but `smiley_grader.hub.configure`, `docs/index.md`,"
                    " [the README](../README.md) and `~/smileys/students.csv` are fine.")
    assert missing_pointers(page) == ["gone.md", "tests/assignments/test_x.py", "grading/hidden.py",
                                      "smiley_checks.grading.demo_cycle"]


def test_the_index_lists_every_page_with_one_line():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = {(DOCS / target.split("#")[0]).resolve() for target in links(index)}
    pages = {page.resolve() for page in DOCS.rglob("*.md") if page.name != "index.md"}
    assert pages - listed == set()
    for line in index.splitlines():
        if LINK.search(line) and line.startswith("- "):
            assert len(line) < 200, line


def test_the_readme_is_a_teachers_page():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    assert "today" not in text.lower()
    assert text.index("## What you do as a teacher") < text.index("make demo")
    assert "make test" in text
    # The points the README says the teacher gives by hand are the notebook's.
    import nbformat

    from smiley_checks.notebook_template import source_path

    nb = nbformat.read(source_path(REPO_ROOT, "break_the_model", "en"), as_version=4)
    by_hand = sum(c.metadata["nbgrader"]["points"] for c in nb.cells
                  if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade"))
    auto = sum(c.metadata["nbgrader"]["points"] for c in nb.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade"))
    assert f"{auto + by_hand}: **{auto} autograded, {by_hand} graded by you**" in text


def test_no_doc_tells_teachers_to_grade_from_the_repository_root():
    for page in PAGES:
        text = page.read_text(encoding="utf-8").lower()
        assert "from the repository root" not in text, page
