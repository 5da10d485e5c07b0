"""One bilingual template per assignment -> an English and a Dutch source notebook.

    .venv/bin/python tools/make_notebooks.py          # templates/*.md -> source/<name>/<name>.ipynb
    .venv/bin/python tools/make_release.py            # source/ -> release/ (nbgrader)

A template (templates/<english name>.md) is a list of cells. Each starts with a header line:

    %% markdown id=intro                     a markdown cell, then its texts:
    %% en                                      English ...
    %% nl                                      ... and Dutch (both required)
    %% code id=setup locked                  a code cell, ONE text for both languages;
                                               «English|Nederlands» picks a fragment per language
    %% code id=no_batchnorm grade locked points=2    nbgrader flags: grade, solution, locked, points=N

Code cells (setup, checks, hidden tests) exist once, so both languages grade the same way;
only comments, docstrings and the language setting differ («en|nl» fragments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

LANGUAGES = ("en", "nl")
# English name -> name per language (folder and notebook file name).
ASSIGNMENT_NAMES = {
    "layers": {"en": "layers", "nl": "lagen"},
    "break_the_model": {"en": "break_the_model", "nl": "breek_het_model"},
}
FRAGMENT = re.compile(r"«([^«»|]*)\|([^«»|]*)»")
FLAGS = ("grade", "solution", "locked")


def english_name(assignment: str) -> str:
    """The English name of an assignment given in any language (what the grading tasks are keyed by)."""
    for english, names in ASSIGNMENT_NAMES.items():
        if assignment in names.values():
            return english
    return assignment


def language_of(assignment: str) -> str:
    for names in ASSIGNMENT_NAMES.values():
        for lang, name in names.items():
            if name == assignment:
                return lang
    return "en"


class TemplateError(ValueError):
    pass


@dataclass
class TemplateCell:
    kind: str  # "markdown" or "code"
    cell_id: str
    flags: set = field(default_factory=set)
    points: int | None = None
    texts: dict = field(default_factory=dict)  # markdown: language -> text
    code: str = ""

    def text(self, lang: str) -> str:
        if self.kind == "markdown":
            return self.texts[lang]
        index = LANGUAGES.index(lang)
        return FRAGMENT.sub(lambda m: m.group(index + 1), self.code)

    def nbgrader(self) -> dict | None:
        if not self.flags:
            return None
        meta = {"grade": "grade" in self.flags, "grade_id": self.cell_id, "locked": "locked" in self.flags,
                "schema_version": 3, "solution": "solution" in self.flags, "task": False}
        if self.points is not None:
            meta["points"] = self.points
        return meta


def parse(text: str, name: str = "template") -> list[TemplateCell]:
    cells: list[TemplateCell] = []
    lang = None
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("%% "):
            words = line[3:].split()
            if words[0] in ("markdown", "code"):
                cells.append(_header(words, f"{name}:{number}"))
                lang = None
                continue
            if words[0] in LANGUAGES and len(words) == 1:
                if not cells or cells[-1].kind != "markdown":
                    raise TemplateError(f"{name}:{number}: a language line outside a markdown cell")
                lang = words[0]
                cells[-1].texts[lang] = ""
                continue
            raise TemplateError(f"{name}:{number}: unknown line {line!r}")
        if not cells:
            if line.strip():
                raise TemplateError(f"{name}:{number}: text before the first cell")
            continue
        cell = cells[-1]
        if cell.kind == "code":
            cell.code += line + "\n"
        elif lang is None:
            if line.strip():
                raise TemplateError(f"{name}:{number}: markdown text before '%% en' or '%% nl'")
        else:
            cell.texts[lang] += line + "\n"
    for cell in cells:
        cell.code = cell.code.strip("\n")
        cell.texts = {lang: text.strip("\n") for lang, text in cell.texts.items()}
        _validate(cell, name)
    ids = [cell.cell_id for cell in cells]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise TemplateError(f"{name}: cell ids used twice: {', '.join(repeated)}")
    return cells


def _header(words: list[str], where: str) -> TemplateCell:
    cell = TemplateCell(kind=words[0], cell_id="")
    for word in words[1:]:
        key, _, value = word.partition("=")
        if key == "id":
            cell.cell_id = value
        elif key == "points":
            cell.points = int(value)
        elif key in FLAGS and not value:
            cell.flags.add(key)
        else:
            raise TemplateError(f"{where}: unknown option {word!r}")
    if not cell.cell_id:
        raise TemplateError(f"{where}: every cell needs id=...")
    if ("grade" in cell.flags) != (cell.points is not None):
        raise TemplateError(f"{where}: a grade cell needs points=N, and only a grade cell has points")
    return cell


def _validate(cell: TemplateCell, name: str) -> None:
    where = f"{name}, cell {cell.cell_id}"
    if cell.kind == "markdown":
        missing = [lang for lang in LANGUAGES if not cell.texts.get(lang, "").strip()]
        if missing:
            raise TemplateError(f"{where}: no text for {', '.join(missing)}")
        return
    stray = FRAGMENT.sub("", cell.code)
    if "«" in stray or "»" in stray:
        raise TemplateError(f"{where}: a «English|Nederlands» fragment is not closed or has no '|'")


def notebook(cells: list[TemplateCell], lang: str):
    nb = new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for cell in cells:
        make = new_markdown_cell if cell.kind == "markdown" else new_code_cell
        new = make(cell.text(lang))
        new.id = cell.cell_id
        meta = cell.nbgrader()
        if meta:
            new.metadata["nbgrader"] = meta
        nb.cells.append(new)
    return nb


def render(template: Path) -> dict[str, object]:
    """{language: notebook} for one template file."""
    cells = parse(template.read_text(encoding="utf-8"), template.name)
    return {lang: notebook(cells, lang) for lang in LANGUAGES}


def source_path(repo: Path, english: str, lang: str) -> Path:
    name = ASSIGNMENT_NAMES[english][lang]
    return repo / "source" / name / f"{name}.ipynb"


def write_sources(repo: Path) -> list[Path]:
    written = []
    for english in ASSIGNMENT_NAMES:
        for lang, nb in render(repo / "templates" / f"{english}.md").items():
            path = source_path(repo, english, lang)
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.validate(nb)
            path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
            written.append(path)
    return written
