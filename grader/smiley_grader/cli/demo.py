"""`smiley-checks demo`: the main job, end to end, with files to look at afterwards."""

from __future__ import annotations

from pathlib import Path

DEFAULT_OUT = Path("out/demo")
GRADING_WORKERS = 2  # the demo machine has 2 cores


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="show the dataset, train the original network once, grade the example class")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the pictures (default: {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-grading", action="store_true", help="stop after training (no nbgrader cycle)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from smiley_checks.cli.data import print_table, summarise
    from smiley_checks.dataset.layout import ALL_CLASSES, data_dir
    from smiley_checks.dataset.loader import load_split
    from smiley_checks.dataset.preview import write_preview

    out = args.out
    root = data_dir()
    print("== 1. The smileys ==")
    print_table(summarise(root), root)
    preview = write_preview(load_split("train", ALL_CLASSES, root), out / "preview.png")

    print("\n== 2. Training the lesson's network once: fit(epochs=5, batch_size=1) ==")
    from smiley_checks.network import build_original
    from smiley_checks.training.train import train

    result = train(build_original(), seed=args.seed, verbose=1)
    curves = out / "training_curves.png"
    matrix = out / "confusion_matrix.png"
    mistakes = out / "mistakes.png"
    result.plot_curves(curves)
    result.plot_confusion_matrix(matrix)
    result.plot_mistakes(mistakes)
    print(f"\nValidation accuracy: {result.accuracy:.2f} after {result.seconds:.0f} s of training.")
    print("Pictures written:")
    for label, path in (("smileys", preview), ("training curves", curves), ("confusion matrix", matrix),
                        ("mistakes", mistakes)):
        print(f"  {label:<17} {path}")
    if args.skip_grading:
        return 0

    from smiley_grader.demo_cycle import run_cycle
    from smiley_checks.messages import say

    print("\n" + say("demo.class_heading", workers=GRADING_WORKERS))
    from smiley_grader.demo_cycle import find_submissions

    handed_in = [assignment for _, assignment in find_submissions()]
    counts = ", ".join(f"{handed_in.count(a)} x {a}" for a in dict.fromkeys(handed_in))
    print(say("demo.class_how", counts=counts))
    # nbgrader's own command lines are left out: the progress line says what is going on.
    print(run_cycle(out / "nbgrader", log=lambda _line: None, workers=GRADING_WORKERS))
    return 0
