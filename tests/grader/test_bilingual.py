"""One template per assignment makes the English and the Dutch notebook: they must not drift apart."""

import re

import nbformat
import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.notebook_template import (ASSIGNMENT_NAMES, TemplateError, english_name, language_of, parse,
                                             render, source_path)

FRAGMENT = re.compile(r"«([^«»|]*)\|([^«»|]*)»")


def structure(nb):
    """What both languages must share: cell ids, kinds, nbgrader metadata, and the code apart from comments."""
    rows = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        rows.append((cell.id, cell.cell_type, meta))
    return rows


@pytest.mark.parametrize("english", ASSIGNMENT_NAMES)
def test_source_notebooks_are_what_the_template_makes(english):
    made = render(REPO_ROOT / "templates" / f"{english}.md")
    for lang, nb in made.items():
        stored = nbformat.read(source_path(REPO_ROOT, english, lang), as_version=4)
        assert [(c.id, c.cell_type, c.source, c.metadata) for c in stored.cells] == \
               [(c.id, c.cell_type, c.source, c.metadata) for c in nb.cells], \
            f"{source_path(REPO_ROOT, english, lang)} is stale: run .venv/bin/python tools/make_notebooks.py"


@pytest.mark.parametrize("english", ASSIGNMENT_NAMES)
def test_dutch_and_english_have_the_same_tasks_hints_and_grade_cells(english):
    en = nbformat.read(source_path(REPO_ROOT, english, "en"), as_version=4)
    nl = nbformat.read(source_path(REPO_ROOT, english, "nl"), as_version=4)
    assert structure(en) == structure(nl)
    hints = re.compile(r"\w+\.hint\(\d\)")
    for a, b in zip(en.cells, nl.cells):
        assert sorted(hints.findall(a.source)) == sorted(hints.findall(b.source)), a.id
        if a.cell_type == "code":
            # Same code; only comments and docstrings may differ, never a line's code.
            assert len(a.source.split("\n")) == len(b.source.split("\n")), a.id
            for line_en, line_nl in zip(a.source.split("\n"), b.source.split("\n")):
                if line_en != line_nl:
                    code_en, code_nl = line_en.split("#")[0], line_nl.split("#")[0]
                    assert code_en == code_nl or '"""' in code_en or 'set_language("' in code_en, (a.id, line_en)
        else:
            assert a.source.strip() and b.source.strip()
    setup = {lang: next(c for c in nb.cells if c.id == "setup").source for lang, nb in (("en", en), ("nl", nl))}
    assert 'set_language("en")' in setup["en"] and 'set_language("nl")' in setup["nl"]


def test_dutch_notebooks_use_the_lessons_words():
    for english in ASSIGNMENT_NAMES:
        text = source_path(REPO_ROOT, english, "nl").read_text(encoding="utf-8")
        assert "verrast" not in text.lower()
    assert "verbaasd" in source_path(REPO_ROOT, "break_the_model", "nl").read_text(encoding="utf-8")


def test_names_and_languages():
    assert english_name("lagen") == "layers" and english_name("breek_het_model") == "break_the_model"
    assert english_name("layers") == "layers"
    assert language_of("breek_het_model") == "nl" and language_of("break_the_model") == "en"


@pytest.mark.parametrize("text, problem", [
    ("%% markdown id=a\n%% en\nHello\n", "no text for nl"),
    ("%% code id=a\nx = 1\n%% code id=a\ny = 2\n", "used twice"),
    ("%% code id=a grade locked\nx = 1\n", "needs points"),
    ("%% code id=a\nprint('«Hello')\n", "not closed"),
    ("%% code\nx = 1\n", "needs id"),
])
def test_a_template_missing_a_language_or_a_grade_cell_detail_is_refused(text, problem):
    with pytest.raises(TemplateError, match=problem):
        parse(text)


def test_a_fragment_picks_the_language():
    cell = parse('%% code id=a\nprint("«Hello|Hallo»")  # «note|noot»\n')[0]
    assert cell.text("en") == 'print("Hello")  # note' and cell.text("nl") == 'print("Hallo")  # noot'
