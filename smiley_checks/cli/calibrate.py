"""`smiley-checks calibrate`: how the grading protocol judges the lesson's variants."""

from __future__ import annotations

from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("calibrate", help="train the lesson's variants over many seeds; write a report")
    parser.add_argument("--seeds", type=int, default=20, help="seeds per variant (default: 20)")
    parser.add_argument("--many-seeds", type=int, default=100,
                        help="seeds for the original and no-Conv2D networks (default: 100)")
    parser.add_argument("--variants", help="comma-separated subset of variants")
    parser.add_argument("--out", type=Path, default=Path("out/calibration"))
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.training.calibration import calibrate, markdown_table
    from smiley_checks.variants import VARIANTS
    from smiley_checks.errors import UsageError

    variants = args.variants.split(",") if args.variants else None
    unknown = [name for name in variants or [] if name not in VARIANTS]
    if unknown:
        raise UsageError(f"Unknown variant {unknown[0]!r}; choose from: {', '.join(VARIANTS)}.")
    report = calibrate(args.seeds, args.out, many_seeds=args.many_seeds, variants=variants)
    print(markdown_table(report))
    for text, ok in report["promises"].items():
        print(f"{'yes' if ok else 'NO '}  {text}")
    print(f"Report: {args.out / 'calibration.md'} (plot: {args.out / 'calibration.png'})")
    return 0
