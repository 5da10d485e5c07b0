"""What a Dutch student reads is Dutch, in the lesson's own words, one word per concept.

The texts: the Dutch side of both templates (markdown, comments and docstrings) and the Dutch
messages a student can see (checks, hints, verdicts, plots, feedback). English may appear only as
a Keras or Python name (and in code, which is left out here). A word counts as English when the
English texts use it; words that are spelled the same in Dutch are listed in DUTCH_TOO.
"""

import json
import re

import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.notebook_template import ASSIGNMENT_NAMES, parse

# Catalogues whose messages a student sees (the others are for the teacher).
STUDENT_CATALOGUES = ["assignments", "checks", "config_allowlist", "inspection", "notebook", "training"]
# The grader's messages a student reads in the feedback: the answer key's, and a cut output's.
GRADER_CATALOGUES = {REPO_ROOT / "grader" / "smiley_grader" / "catalogue" / "answer_key.json": None,
                     REPO_ROOT / "grader" / "smiley_grader" / "catalogue" / "grading.json": {"grade.output_cut"}}
GUIDE = REPO_ROOT / "docs" / "handleiding-leerkracht.md"

# The only English a Dutch student reads: Keras' and Python's own names, as Keras and Python print them.
KERAS_AND_PYTHON_NAMES = {
    "accuracy", "adam", "batch", "batches", "batchnormalization", "bias", "categorical", "crossentropy", "compile",
    "conv", "dense", "dropout", "epoch", "epochs", "fit", "flatten", "inputlayer", "keras", "kernel", "lambda",
    "loss", "max", "maxpooling", "metrics", "nan", "none", "optimizer", "output", "padding", "param", "params",
    "pooling", "relu", "seed", "seeds", "sequential", "shape", "softmax", "total", "trainable", "def", "return",
    "tuple", "python", "json", "py", "gradient", "descent", "shift", "enter",
}
# Words the English texts use that are Dutch words as well.
DUTCH_TOO = {
    "in", "is", "of", "over", "had", "want", "was", "we", "per", "plus", "rest", "start", "test", "tests", "extra",
    "hand", "computer", "tip", "tips", "filter", "filters", "pixel", "pixels", "smiley", "smileys", "notebook",
    "feedback", "training", "score", "scores", "neuron", "parameters", "model", "code", "experiment", "map",
    "labels", "begin", "train", "type", "x", "n", "d", "s", "mb",
}
# One word per concept: the lesson's word, and what must not be used instead.
ONE_WORD = {
    "afbeelding": [r"\bprent", r"\bprenten\b"],
    "de filter": [r"\bhet filter\b", r"\bdit filter\b", r"\bhet 3x3-filter\b"],
    "uitvoerafbeelding": [r"\bfeature maps?\b"],
    "afleidbaar": [r"\bafleiden\b"],
    "kapot": [r"\b(is|niet|model) stuk\b"],
    "verbeterprogramma": [r"\bverbeteraar\b"],
    "de notebook": [r"\bhet notebook\b", r"\bdit notebook\b"],
    "activatiefunctie": [r"\bactivation\b", r"\bactivatie\b"],
    "neuronen": [r"\bunits\b"],
    "JOUW CODE HIER": [r"YOUR CODE HERE", r"YOUR ANSWER HERE"],
}


def _prose(text: str) -> str:
    """Text without code: fenced blocks, `code`, $maths$, {placeholders}, paths and calls."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"(?m)^#+ (BEGIN|END) SOLUTION$", " ", text)
    text = re.sub(r"\S*(?:/|_|\(|=|\w\.[\w{])\S*", " ", text)
    text = re.sub(r"\{[^{}]*\}", " ", text)
    return text


def _code_words(code: str) -> str:
    """Comments and docstrings of a code cell, without commented-out code or nbgrader's markers."""
    comments = [c for c in re.findall(r"#(.*)", code)
                if not re.search(r"keras\.|\(|BEGIN |END ", c)]
    return " ".join(comments + re.findall(r'"""(.*?)"""', code, flags=re.S))


def texts(lang: str, grader: bool = True) -> dict[str, str]:
    """{where: text} for everything a student reads in `lang` (with the grader's answer-key messages)."""
    found = {}
    for english in ASSIGNMENT_NAMES:
        for cell in parse((REPO_ROOT / "templates" / f"{english}.md").read_text(encoding="utf-8")):
            if cell.kind == "markdown":
                found[f"{english}:{cell.cell_id}"] = cell.texts[lang]
            else:
                found[f"{english}:{cell.cell_id}"] = _code_words(cell.text(lang))
    catalogues = {REPO_ROOT / "smiley_checks" / "messages" / "catalogue" / f"{name}.json": None
                  for name in STUDENT_CATALOGUES} | (GRADER_CATALOGUES if grader else {})
    for path, keys in catalogues.items():
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if keys is None or key in keys:
                found[key] = entry.get(lang, "")
    return found


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", _prose(text))}


def english_words_in_dutch(dutch: dict[str, str], english: dict[str, str]) -> dict[str, list[str]]:
    vocabulary = set().union(*(words(text) for text in english.values()))
    allowed = KERAS_AND_PYTHON_NAMES | DUTCH_TOO
    found = {}
    for where, text in dutch.items():
        stray = sorted((words(text) & vocabulary) - allowed)
        if stray:
            found[where] = stray
    return found


def test_no_english_in_what_a_dutch_student_reads_but_keras_and_python_names():
    assert english_words_in_dutch(texts("nl"), texts("en")) == {}


def test_the_english_test_finds_english():
    english = {"a": "Write your code here, then run the cell and look at the activation."}
    dutch = {"a": "Voer de cel uit (Kernel > Restart and run all) en kijk naar de activation van `Dense`."}
    assert english_words_in_dutch(dutch, english) == {"a": ["activation", "and", "run"]}


@pytest.mark.parametrize("word", ONE_WORD)
def test_one_dutch_word_per_concept(word):
    """In the notebooks, the messages and the Dutch guide. Not the grader's messages: grader/ was
    someone else's work when this test was written ('per prent' is left in its answer key)."""
    ours = texts("nl", grader=False) | {"handleiding": GUIDE.read_text(encoding="utf-8")}
    wrong = {where: pattern for where, text in ours.items() for pattern in ONE_WORD[word]
             if re.search(pattern, _prose(text), flags=re.I)}
    assert wrong == {}, f"use '{word}'"


@pytest.mark.parametrize("name", ["lagen", "breek_het_model"])
def test_released_dutch_notebooks_have_dutch_stubs(name):
    text = (REPO_ROOT / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "YOUR CODE HERE" not in text and "YOUR ANSWER HERE" not in text
    assert "# JOUW CODE HIER" in text
    if name == "breek_het_model":
        assert "JOUW ANTWOORD HIER" in text


@pytest.mark.parametrize("name", ["layers", "break_the_model"])
def test_released_english_notebooks_keep_english_stubs(name):
    text = (REPO_ROOT / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert "# YOUR CODE HERE" in text and "JOUW" not in text
