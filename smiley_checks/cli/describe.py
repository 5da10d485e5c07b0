"""`smiley-checks describe FILE.py:FUNCTION [--json]`: the layers of a student's model."""

from __future__ import annotations

import json

from smiley_checks.messages import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("describe", help=say("cli.describe.help"), description=say("cli.describe.help"))
    parser.add_argument("spec", metavar="FILE.py:FUNCTION", help=say("cli.spec.help"))
    parser.add_argument("--json", action="store_true", help=say("cli.json.help"))
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.cli.loading import load_model
    from smiley_checks.inspection.describe import describe
    from smiley_checks.inspection.submission import hints

    model = load_model(args.spec)
    description = describe(model)
    if args.json:
        print(json.dumps(description.to_json(), indent=2))
        return 0
    print(description.table())
    for hint in hints(model):  # e.g. "not compiled yet": a fact, not a failure
        print(hint)
    return 0
