"""`smiley-checks data compare FOLDER [--against DIR] [--png FILE.png] [--json]`.

How a folder of drawings (a class's imported sheets) is drawn, next to the shipped smileys: the
figures of dataset/figures.py per class, as mean (spread), and a picture of typical drawings.
By default the folder is compared with the shipped held-out split (100 drawings per class);
--against compares it with every drawing of another folder instead.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from smiley_checks.messages import say

# A figure is marked when the two means differ by at least this share of the shipped spread.
MARK_AT = 0.5
DECIMALS = {"ink_share": 1, "face_size": 1, "stroke_width": 2, "lowest_row": 1, "pieces": 1, "holes": 1,
            "centre_offset": 1}


def add_parser(actions) -> None:
    parser = actions.add_parser("compare", help=say("data.compare.help"), description=say("data.compare.help"))
    parser.add_argument("folder", type=Path, metavar="FOLDER", help=say("data.compare.folder_help"))
    parser.add_argument("--against", type=Path, metavar="DIR", help=say("data.compare.against_help"))
    parser.add_argument("--png", type=Path, metavar="FILE.png", help=say("data.compare.png_help"))
    parser.add_argument("--json", action="store_true", help=say("cli.json.help"))
    parser.set_defaults(run=run)


def shipped_drawings(classes) -> dict:
    """class -> the shipped held-out drawings of that class, (N, 110, 110)."""
    from smiley_checks.dataset.layout import SHIPPED_DIR
    from smiley_checks.dataset.loader import load_split

    heldout = load_split("heldout", tuple(classes), SHIPPED_DIR)
    return {label: heldout.images[heldout.label_indices == index, :, :, 0] for index, label in enumerate(classes)}


def compare_folders(folder: Path, against: Path | None) -> tuple[dict, dict]:
    """(class -> drawings here, class -> drawings compared with), for the classes the folder has."""
    from smiley_checks.dataset.drawings_folder import read_drawings

    here = read_drawings(folder)
    if against is None:
        other = shipped_drawings(list(here))
    else:
        other = read_drawings(against)
    return here, other


def comparison(here: dict, other: dict) -> dict:
    """class -> {"here": figures, "shipped": figures}: each figure's summary as JSON."""
    from smiley_checks.dataset.figures import summarise

    result = {}
    for label, images in here.items():
        entry = {"here": {name: s.to_json() for name, s in summarise(images).items()}}
        if label in other:
            entry["shipped"] = {name: s.to_json() for name, s in summarise(other[label]).items()}
        result[label] = entry
    return result


def marked(here: dict, shipped: dict) -> bool:
    difference = abs(here["mean"] - shipped["mean"])
    return math.isfinite(difference) and difference >= MARK_AT * shipped["spread"] and difference > 0


def _cell(summary: dict | None, decimals: int) -> str:
    if summary is None or summary["count"] == 0:
        return "-"
    return f"{summary['mean']:.{decimals}f} ({summary['spread']:.{decimals}f})"


def table(result: dict, folder: Path, against: Path | None) -> str:
    from smiley_checks.dataset.figures import FIGURES

    lines = [say("data.compare.heading", folder=folder, against=against or say("data.compare.shipped_heldout"))]
    for label, entry in result.items():
        here, shipped = entry["here"], entry.get("shipped")
        count = here["ink_share"]["count"]
        lines.append("")
        if shipped is None:
            lines.append(say("data.compare.class_alone", emotion=say(f"data.compare.emotion.{label}"), here=count))
        else:
            lines.append(say("data.compare.class_line", emotion=say(f"data.compare.emotion.{label}"), here=count,
                             shipped=shipped["ink_share"]["count"]))
        other_column = say("data.compare.column.shipped" if against is None else "data.compare.column.against")
        lines.append(f"  {say('data.compare.column.figure'):<48}{say('data.compare.column.here'):>18}"
                     f"{other_column:>18}")
        for name in FIGURES:
            decimals = DECIMALS[name]
            other = shipped[name] if shipped else None
            mark = " *" if other and marked(here[name], other) else ""
            lines.append(f"  {say('data.compare.figure.' + name):<48}{_cell(here[name], decimals):>18}"
                         f"{_cell(other, decimals):>18}{mark}")
    lines.append("")
    lines.append(say("data.compare.footnote", share=MARK_AT))
    return "\n".join(lines)


def run(args) -> int:
    here, other = compare_folders(args.folder, args.against)
    result = comparison(here, other)
    if args.json:
        print(json.dumps({"folder": str(args.folder), "against": str(args.against) if args.against else "shipped heldout",
                          "classes": result}, indent=2))
    else:
        print(table(result, args.folder, args.against))
    if args.png:
        from smiley_checks.dataset.typical import write_typical

        rows = []
        for label in here:
            emotion = say(f"data.compare.emotion.{label}")
            rows.append((say("data.compare.row_here", emotion=emotion), here[label]))
            if label in other:
                key = "data.compare.row_shipped" if args.against is None else "data.compare.row_against"
                rows.append((say(key, emotion=emotion), other[label]))
        path = write_typical(rows, args.png)
        if not args.json:
            print(say("data.compare.picture", path=path))
    return 0
