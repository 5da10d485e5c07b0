"""One line for a cell of the class report's table of smallest breaks.

What the grader said can be long: a verdict with the accuracy of every seed, a failure that
lists 13 layer edits, and in notebooks autograded before the grader kept its own line in the
cell's metadata, the whole failure message with the model answer's code after it. A row keeps
one line of each: the first line of the text, of it the first sentence (of a verdict also the
sentence with the accuracies; not the edits the change column shows), cut at LIMIT characters.
A change keeps as many of its edits as fit and says how many more there are.
"""

from __future__ import annotations

import re

from smiley_checks.messages import LANGUAGES, catalogue, say

LIMIT = 140
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
ACCURACIES = "assign.verdict.accuracies"  # the verdict's sentence with every seed's accuracy


def first_line(text) -> str:
    """The first line with text in it, its spaces collapsed."""
    line = next((part for part in str(text or "").splitlines() if part.strip()), "")
    return " ".join(line.split())


def sentences(line: str) -> list[str]:
    return [part for part in SENTENCE_END.split(line) if part]


def cut(text: str, limit: int = LIMIT) -> str:
    """At most `limit` characters, cut after a whole word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def is_accuracies(sentence: str) -> bool:
    """The verdict's sentence with the accuracies, in any language (the notebook's, not the report's)."""
    texts = catalogue().get(ACCURACIES, {})
    starts = [texts[lang].split("{", 1)[0] for lang in LANGUAGES if texts.get(lang)]
    return any(start and sentence.startswith(start) for start in starts)


def said_line(text, limit: int = LIMIT, change: str = "") -> str:
    """What the grader said: the first sentence, and a verdict's accuracies; without the edits of
    `change` it lists ("You made 3 layer edits, but ...: block 1: ..."), which have their own column."""
    line = first_line(text)
    edit = next(iter(sentences(first_line(change))), "")
    if edit and edit in line[1:]:
        line = line[:line.index(edit, 1)].rstrip(" :;,") + "."
    parts = sentences(line)
    if not parts:
        return ""
    kept = parts[:1] + [part for part in parts[1:] if is_accuracies(part)]
    return cut(" ".join(kept), limit)


def change_line(text, limit: int = LIMIT) -> str:
    """What a student changed: as many of its edits as fit in one line, then how many more there are."""
    parts = sentences(first_line(text))
    if not parts:
        return ""
    for count in range(len(parts), 0, -1):
        more = [say("grade.report.more", count=len(parts) - count)] if count < len(parts) else []
        line = " ".join(parts[:count] + more)
        if len(line) <= limit:
            return line
    if len(parts) == 1:
        return cut(parts[0], limit)
    more = say("grade.report.more", count=len(parts) - 1)
    return f"{cut(parts[0], limit - len(more) - 1)} {more}"
