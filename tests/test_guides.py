"""A teacher's guide per language, with the same sections, and a rubric for every question graded by hand."""

import re

import nbformat
import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.notebook_template import source_path

GUIDES = {
    "nl": (REPO_ROOT / "docs" / "handleiding-leerkracht.md",
           ["## Lesplan in lestijden van 50 minuten", "## `lagen`: antwoorden en typische fouten",
            "## `breek_het_model`: antwoorden en waarom", "## Verbeterschaal", "## Verbeteren", "## De tekeningen",
            "## Engels dat blijft"]),
    "en": (REPO_ROOT / "docs" / "teacher-guide.md",
           ["## Lesson plan in 50-minute periods", "## `layers`: answers and typical mistakes",
            "## `break_the_model`: answers and why", "## Rubric", "## Grading", "## The drawings",
            "## English that stays"]),
}


def hand_graded() -> dict[str, int]:
    """{grade_id: points} of break_the_model's written answers (graded by the teacher)."""
    nb = nbformat.read(source_path(REPO_ROOT, "break_the_model", "en"), as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in nb.cells
            if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("grade")}


def rubric(text: str) -> list[list[str]]:
    """The rubric's questions, each as its list of levels ('- 1:', '- ½:', '- 0:')."""
    section = re.split(r"^## ", text.split("\n## Verbeterschaal" if "Verbeterschaal" in text else "\n## Rubric")[1],
                       flags=re.M)[0]
    questions = re.split(r"^\*\*", section, flags=re.M)[1:]
    return [re.findall(r"^- (\d|½):", question, flags=re.M) for question in questions]


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guide_has_every_section(lang):
    path, headings = GUIDES[lang]
    text = path.read_text(encoding="utf-8")
    missing = [h for h in headings if h not in text]
    assert missing == []
    assert "today" not in text.lower() and "vandaag" not in text.lower()


@pytest.mark.parametrize("lang", GUIDES)
def test_the_rubric_has_three_levels_for_each_question_graded_by_hand(lang):
    questions = rubric(GUIDES[lang][0].read_text(encoding="utf-8"))
    graded = hand_graded()
    assert sum(graded.values()) == 9 and len(questions) == len(graded)
    for levels in questions:
        assert len(levels) == 3 and levels[-1] == "0"
    top = sorted(int(levels[0]) for levels in questions)
    assert top == sorted(graded.values())
