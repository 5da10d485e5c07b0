"""The `smiley-checks` command. One module per verb, each with `add_parser` and `run`.

Other installed packages add verbs through the entry point group `smiley_checks.commands`
(name: the verb, value: its module); the grader adds `grade`, `demo` and `course` that way
(grader/pyproject.toml). This package never imports them by name: in a students' environment
there are none, and `smiley-checks` shows its own verbs only.

Expected failures (SmileyChecksError) become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib.metadata import entry_points

from smiley_checks.errors import SmileyChecksError

COMMANDS_GROUP = "smiley_checks.commands"

# verb -> module; imported lazily so `data` never pays for TensorFlow.
VERBS = {
    "data": "smiley_checks.cli.data",
    "describe": "smiley_checks.cli.describe",
    "compare": "smiley_checks.cli.compare",
    "reliability": "smiley_checks.cli.reliability",
    "calibrate": "smiley_checks.cli.calibrate",
    "sheets": "smiley_checks.cli.sheets",
}


def all_verbs() -> dict[str, str]:
    """Our verbs, then those installed packages add (an added verb never replaces one of ours)."""
    added = {point.name: point.module for point in entry_points(group=COMMANDS_GROUP) if point.name not in VERBS}
    return {**VERBS, **dict(sorted(added.items()))}


class BrokenCommand(SmileyChecksError):
    """An added verb whose package is broken or half removed."""


def _load(verb: str, verbs: dict[str, str]):
    try:
        return importlib.import_module(verbs[verb])
    except ImportError as error:
        if verb in VERBS:
            raise  # ours: a bug, not a broken install
        from smiley_checks.messages import say

        raise BrokenCommand(say("cli.broken_command", command=verb, module=verbs[verb])) from error


def build_parser(verbs: dict[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smiley-checks", description="Checks and verdicts for the smiley \"break the model\" lesson.")
    parser.add_argument("--lang", choices=["en", "nl"], help="language of messages (default: en)")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    for verb in verbs:
        _load(verb, verbs).add_parser(sub)
    return parser


def _language_and_verb(argv: list[str]) -> tuple[str | None, str | None]:
    """`--lang` and the first word that is not an option (the verb), before argparse sees the rest."""
    language, rest = None, list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--lang" and rest:
            language = rest.pop(0)
        elif word.startswith("--lang="):
            language = word.split("=", 1)[1]
        elif not word.startswith("-"):
            return language, word
    return language, None


def main(argv: list[str] | None = None) -> int:
    from smiley_checks.messages import LANGUAGES, say, set_language

    argv = sys.argv[1:] if argv is None else argv
    verbs = all_verbs()
    language, chosen = _language_and_verb(argv)
    if language in LANGUAGES:
        set_language(language)
    if chosen is not None and chosen not in verbs:
        # Also what a students' environment says to `grade`: its verbs come with the grader.
        print(f"smiley-checks: {say('cli.unknown_command', command=chosen, commands=', '.join(verbs))}",
              file=sys.stderr)
        return 2
    try:
        # Only import the module for the verb asked for (cheap `--help` and `data`).
        parser = build_parser({chosen: verbs[chosen]} if chosen else verbs)
        args = parser.parse_args(argv)
        return int(args.run(args) or 0)
    except SmileyChecksError as error:
        print(f"smiley-checks: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("smiley-checks: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
