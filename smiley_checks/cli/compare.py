"""`smiley-checks compare FILE.py:FUNCTION [--json]`: how a model differs from the original network."""

from __future__ import annotations

import json

from smiley_checks.messages import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("compare", help=say("cli.compare.help"), description=say("cli.compare.help"))
    parser.add_argument("spec", metavar="FILE.py:FUNCTION", help=say("cli.spec.help"))
    parser.add_argument("--json", action="store_true", help=say("cli.json.help"))
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.cli.loading import load_model
    from smiley_checks.inspection.compare import compare
    from smiley_checks.inspection.submission import validate

    # Only a valid submission (right input, 2 class outputs) is worth comparing.
    comparison = compare(validate(load_model(args.spec)))
    print(json.dumps(comparison.to_json(), indent=2) if args.json else comparison.report())
    return 0
