"""The stubs a released notebook shows where the teacher's solution was, in the notebook's language.

nbgrader's ClearSolutions has one code stub per *kernel* language (python) and one text stub, so
a Dutch notebook would read "# YOUR CODE HERE". LanguageStubs picks the stubs by the notebook's
own language instead: the `set_language("nl")` line of its first cell (every template writes
one), else the assignment's name (`lagen`, `breek_het_model`), else English.

The course's nbgrader_config.py puts it in GenerateAssignment's place of ClearSolutions:

    c.GenerateAssignment.preprocessors = generate_assignment_preprocessors()

ClearSolutions' own settings (the delimiters) still apply: traitlets configures a subclass with
its parent's section. Only the course's config imports this module (nbgrader is in both
environments; a student's notebook never imports it).
"""

from __future__ import annotations

import re

from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

STUBS = {
    "en": {"code": "# YOUR CODE HERE", "text": "YOUR ANSWER HERE"},
    "nl": {"code": "# JOUW CODE HIER", "text": "JOUW ANTWOORD HIER"},
}
_SET_LANGUAGE = re.compile(r"""set_language\(\s*["'](\w+)["']\s*\)""")


def notebook_language(nb, assignment: str | None = None) -> str:
    """The language a notebook speaks to its student: "en" or "nl"."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = _SET_LANGUAGE.search(cell.source)
            if found and found.group(1) in STUBS:
                return found.group(1)
    if assignment:
        from smiley_checks.notebook_template import language_of

        return language_of(assignment)
    return "en"


class LanguageStubs(ClearSolutions):
    """ClearSolutions with the stubs of the notebook's language (STUBS)."""

    def preprocess(self, nb, resources):
        assignment = (resources.get("nbgrader") or {}).get("assignment")
        stubs = STUBS[notebook_language(nb, assignment)]
        self.code_stub = {**self.code_stub, "python": stubs["code"]}
        self.text_stub = stubs["text"]
        return super().preprocess(nb, resources)


def generate_assignment_preprocessors() -> list:
    """nbgrader's GenerateAssignment preprocessors, with LanguageStubs where ClearSolutions was."""
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    if ClearSolutions not in default:
        raise RuntimeError("this nbgrader has no ClearSolutions in GenerateAssignment.preprocessors")
    return [LanguageStubs if step is ClearSolutions else step for step in default]
