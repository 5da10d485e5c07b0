"""A released Dutch notebook says "# JOUW CODE HIER", an English one "# YOUR CODE HERE"."""

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions
from traitlets.config import Config

from smiley_checks.language_stubs import STUBS, LanguageStubs, generate_assignment_preprocessors, notebook_language


def _solution(cell, grade_id):
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": grade_id,
                                 "schema_version": 3, "task": False}
    return cell


def notebook(lang: str | None):
    setup = f'set_language("{lang}")' if lang else "x = 1"
    code = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    text = "Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"
    nb = new_notebook(cells=[new_code_cell(setup), _solution(new_code_cell(code), "a"),
                             _solution(new_markdown_cell(text), "b")])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    return nb


def cleared(nb, assignment="x"):
    config = Config()
    config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}  # as in nbgrader_config.py
    nb, _ = LanguageStubs(config=config).preprocess(nb, {"nbgrader": {"assignment": assignment}})
    return nb.cells[1].source, nb.cells[2].source


def test_a_dutch_notebook_gets_dutch_stubs():
    code, text = cleared(notebook("nl"))
    assert code == "def f():\n    # JOUW CODE HIER\n" and text == "Why?\n\nJOUW ANTWOORD HIER"


def test_an_english_notebook_keeps_nbgraders_words():
    code, text = cleared(notebook("en"))
    assert code == "def f():\n    # YOUR CODE HERE\n" and text == "Why?\n\nYOUR ANSWER HERE"


@pytest.mark.parametrize("assignment, lang", [("breek_het_model", "nl"), ("lagen", "nl"), ("layers", "en"),
                                              ("elsewhere", "en")])
def test_without_a_language_line_the_assignment_name_decides(assignment, lang):
    assert notebook_language(notebook(None), assignment) == lang
    assert cleared(notebook(None), assignment)[0] == f"def f():\n    {STUBS[lang]['code']}\n"


def test_the_language_line_wins_over_the_name():
    assert notebook_language(notebook("nl"), "my_renamed_assignment") == "nl"


def test_generate_assignment_uses_it_in_clear_solutions_place():
    default = GenerateAssignment.class_traits()["preprocessors"].default()
    ours = generate_assignment_preprocessors()
    assert len(ours) == len(default) and ClearSolutions not in ours
    assert ours[default.index(ClearSolutions)] is LanguageStubs
    assert [a for a in ours if a is not LanguageStubs] == [b for b in default if b is not ClearSolutions]


def test_the_course_config_installs_it():
    from smiley_checks.dataset.layout import REPO_ROOT

    c = Config()
    exec(compile((REPO_ROOT / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    assert c.GenerateAssignment.preprocessors == generate_assignment_preprocessors()
    assert c.ClearSolutions.code_stub == {"python": STUBS["en"]["code"]}  # nbgrader's own, for other notebooks
