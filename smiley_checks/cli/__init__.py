"""The `smiley-checks` command. One module per verb, each with `add_parser` and `run`.

Expected failures (SmileyChecksError) become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from smiley_checks.errors import SmileyChecksError

# verb -> module; imported lazily so `data` never pays for TensorFlow.
VERBS = {
    "data": "smiley_checks.cli.data",
    "describe": "smiley_checks.cli.describe",
    "compare": "smiley_checks.cli.compare",
    "reliability": "smiley_checks.cli.reliability",
    "calibrate": "smiley_checks.cli.calibrate",
    "sheets": "smiley_checks.cli.sheets",
}
# The grader's verbs live in the separate grader package (not in a student's install).
GRADER_VERBS = ("grade", "demo", "course")


def _all_verbs() -> dict[str, str]:
    try:
        from smiley_grader.cli import VERBS as grader_verbs
    except ImportError:
        grader_verbs = {}
    return {**VERBS, **grader_verbs}


def _load(verb: str):
    return importlib.import_module(_all_verbs()[verb])


def build_parser(verbs=None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="smiley-checks", description="Checks and verdicts for the smiley \"break the model\" lesson.")
    parser.add_argument("--lang", choices=["en", "nl"], help="language of messages (default: en)")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND", required=True)
    for verb in verbs or VERBS:
        _load(verb).add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Only import the module for the verb asked for (cheap `--help` and `data`).
    verbs = _all_verbs()
    chosen = next((a for a in argv if a in verbs or a in GRADER_VERBS), None)
    if chosen in GRADER_VERBS and chosen not in verbs:
        print(f"smiley-checks: '{chosen}' is part of the grader package (smiley_grader), which is installed "
              "only where grading runs; install it there (see the README).", file=sys.stderr)
        return 2
    parser = build_parser([chosen] if chosen else list(verbs))
    args = parser.parse_args(argv)
    if args.lang:
        from smiley_checks.messages import set_language

        set_language(args.lang)
    try:
        return int(args.run(args) or 0)
    except SmileyChecksError as error:
        print(f"smiley-checks: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("smiley-checks: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
