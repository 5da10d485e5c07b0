"""`smiley-checks reliability FILE.py:FUNCTION [--seeds N] [--json]`: train over seeds, give a verdict."""

from __future__ import annotations

import json

from smiley_checks.messages import say


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("reliability", help=say("cli.reliability.help"),
                                   description=say("cli.reliability.help"))
    parser.add_argument("spec", metavar="FILE.py:FUNCTION", help=say("cli.spec.help"))
    parser.add_argument("--seeds", type=int, default=5, help="how many seeds to train (default: 5)")
    parser.add_argument("--json", action="store_true", help=say("cli.json.help"))
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.cli.loading import load_object
    from smiley_checks.errors import UsageError
    from smiley_checks.training.reliability import reliability

    if args.seeds < 1:
        raise UsageError(say("cli.reliability.seeds"))
    # The builder itself, so every seed starts from a model it builds (a model object works too).
    verdict = reliability(load_object(args.spec), seeds=args.seeds)
    if args.json:
        print(json.dumps({"accuracies": verdict.accuracies, "verdict": verdict.verdict, "seconds": verdict.seconds}))
        return 0
    from smiley_checks.training.blowup import seed_line

    for seed, accuracy, seconds, epochs in zip(verdict.seeds, verdict.accuracies, verdict.seconds_per_seed,
                                               verdict.epochs_per_seed):
        print(seed_line(seed, accuracy, seconds, epochs))
    print(say(f"verdict.{verdict.verdict}", seeds=len(verdict.seeds), seconds=f"{verdict.seconds:.0f}"))
    return 0
