"""`smiley-checks data`: what the dataset holds, a preview, or regenerate it; `data compare` (data_compare.py)."""

from __future__ import annotations

import json
from pathlib import Path

from smiley_checks.dataset.layout import ALL_CLASSES, SPLITS, data_dir


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("data", help="show the smiley dataset (counts, shape, values)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--preview", metavar="FILE.png", type=Path, help="write a labelled grid of samples")
    parser.add_argument("--split", default="train", choices=SPLITS, help="split to preview (default: train)")
    parser.add_argument("--regenerate", action="store_true",
                        help="draw the dataset again from its seed (byte for byte the shipped files)")
    parser.add_argument("--seed", type=int, help="with --regenerate: another seed")
    parser.add_argument("--dir", type=Path, help="dataset folder (default: SMILEY_CHECKS_DATA or data/smileys)")
    parser.set_defaults(run=run)
    from smiley_checks.cli import data_compare

    actions = parser.add_subparsers(dest="data_action", metavar="ACTION")
    data_compare.add_parser(actions)


def summarise(root: Path) -> dict:
    from smiley_checks.dataset.loader import load_split

    summary = {"classes": list(ALL_CLASSES), "shape": None, "splits": {}, "values": None}
    values = set()
    for split in SPLITS:
        loaded = load_split(split, ALL_CLASSES, root)
        summary["splits"][split] = {
            name: int((loaded.label_indices == index).sum()) for index, name in enumerate(loaded.class_names)
        }
        summary["shape"] = list(loaded.images.shape[1:])
        values.update(int(v) for v in (loaded.images.min(), loaded.images.max()))
    summary["values"] = [min(values), max(values)]
    return summary


def print_table(summary: dict, root: Path) -> None:
    shape = " x ".join(str(n) for n in summary["shape"])
    low, high = summary["values"]
    print(f"Smiley dataset in {root}")
    print(f"{'split':<9}{'class':<11}{'images':>7}   shape        values")
    for split, counts in summary["splits"].items():
        for name, count in counts.items():
            print(f"{split:<9}{name:<11}{count:>7}   {shape:<12} {low}..{high}")
    print("The lesson uses happy and surprised; sad is for extension tasks. 'heldout' is only for grading.")


def run(args) -> int:
    root = args.dir or data_dir()
    if args.regenerate:
        from smiley_checks.dataset.build import DEFAULT_SEED, generate_dataset

        generate_dataset(root, seed=DEFAULT_SEED if args.seed is None else args.seed)
        print(f"Drew the dataset again in {root}.")
    summary = summarise(root)
    if args.json:
        print(json.dumps({key: summary[key] for key in ("classes", "shape", "splits")}))
    else:
        print_table(summary, root)
    if args.preview:
        from smiley_checks.dataset.loader import load_split
        from smiley_checks.dataset.preview import write_preview

        path = write_preview(load_split(args.split, ALL_CLASSES, root), args.preview)
        print(f"Preview written to {path}")
    return 0
