"""One message catalogue for everything a student or teacher reads.

Messages live in `catalogue/*.json` (one file per topic, merged into one
catalogue; a key may appear in only one file). Other installed packages add
theirs through the entry point group `smiley_checks.messages`: its value names a
top-level package whose `catalogue/` folder is merged in too. The grader adds its
messages that way (grader/pyproject.toml); this package never names it. Each entry maps a language
code to a text with `{placeholders}`. English ("en") is required; Dutch
("nl") is the second language. The language is chosen by one setting:
`set_language("nl")` or the environment variable SMILEY_CHECKS_LANG.
"""

from __future__ import annotations

import json
import os
import string
from functools import lru_cache
from importlib import resources
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

LANGUAGES = ("en", "nl")
_ENV_VAR = "SMILEY_CHECKS_LANG"
MESSAGES_GROUP = "smiley_checks.messages"
_language: str | None = None


def set_language(code: str) -> None:
    global _language
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {code!r}")
    _language = code
    # Kept in the environment too: the hidden tests import smiley_checks afresh (in the grader),
    # and their messages must stay in the notebook's language.
    os.environ[_ENV_VAR] = code


def language() -> str:
    code = _language or os.environ.get(_ENV_VAR, "en")
    return code if code in LANGUAGES else "en"


def own_folder():
    return resources.files(__package__) / "catalogue"


def added_folders() -> list[Path]:
    """The catalogue folders installed packages add (in a students' environment: none).

    Found without importing anything: messages are data, so an entry point that a kernel planted in a
    writable environment (docs/student-and-grader.md) cannot run code in the judge through them."""
    folders = []
    for point in sorted(entry_points(group=MESSAGES_GROUP), key=lambda point: point.name):
        spec = find_spec(point.value) if point.value.isidentifier() else None  # top level: nothing is imported
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError(f"the message entry point {point.name!r} names {point.value!r}, which is not an "
                               "installed top-level package")
        folders.append(Path(list(spec.submodule_search_locations)[0]) / "catalogue")
    return folders


def _folders() -> list:
    return [own_folder(), *added_folders()]


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    entries = [entry for folder in _folders() for entry in folder.iterdir()]
    for entry in sorted(entries, key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        for key, texts in json.loads(entry.read_text(encoding="utf-8")).items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (again in {entry.name})")
            merged[key] = texts
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def decimal(value: float, digits: int = 2, lang: str | None = None) -> str:
    """A number as a student reads it: 0.91 in English, 0,91 in Dutch."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if (lang or language()) == "nl" else text


def whole(value: float, lang: str | None = None) -> str:
    """A big whole number as a student reads it: 2,472,816 in English, 2.472.816 in Dutch."""
    text = f"{value:,.0f}"
    return text.replace(",", ".") if (lang or language()) == "nl" else text


def say(key: str, lang: str | None = None, **values) -> str:
    """The text for `key` in the chosen language, with placeholders filled in."""
    texts = catalogue()[key]
    text = texts.get(lang or language()) or texts["en"]
    return text.format(**values)
