"""`smiley-checks sheets`: print grid sheets to draw on, import photos of filled-in sheets.

    smiley-checks sheets print --out happy.pdf --label happy --copies 4
    smiley-checks sheets import photos/*.jpg --label happy --into class-3b

Photos of our sheets and of the lesson's own printed raster (raster.pdf) are
both read, in any mix: the corner markers tell which is which.
A photo that cannot be imported gets one sentence on stderr; the others are
still imported, and the exit code is then 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from smiley_checks.dataset.layout import ALL_CLASSES, LESSON_CLASSES, SPLITS
from smiley_checks.errors import UsageError

MOST_COPIES = 200


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("sheets", help="print A3 grid sheets to draw smileys on, import photos of them")
    actions = parser.add_subparsers(dest="sheets_action", metavar="ACTION", required=True)

    printing = actions.add_parser("print", help="write A3 landscape sheets (6 x 4 boxes, corner markers) as a PDF")
    printing.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write")
    printing.add_argument("--label", choices=ALL_CLASSES, default="happy", help="the emotion to draw (default: happy)")
    printing.add_argument("--copies", type=int, default=1, metavar="N", help="number of pages (default: 1)")

    importing = actions.add_parser("import", help="cut the drawings out of photos of filled-in sheets")
    importing.add_argument("photos", nargs="+", type=Path, metavar="PHOTO",
                           help="JPEG, PNG or HEIC photos, one sheet each (ours or the lesson's raster)")
    importing.add_argument("--label", choices=ALL_CLASSES, required=True, help="the emotion the sheets are for")
    importing.add_argument("--into", type=Path, required=True, metavar="DIR",
                           help="dataset folder to add the drawings to (made if missing)")
    parser.set_defaults(run=run)


def run(args) -> int:
    return run_print(args) if args.sheets_action == "print" else run_import(args)


def run_print(args) -> int:
    from smiley_checks.messages import say
    from smiley_checks.sheets.printing import write_pdf

    if not 1 <= args.copies <= MOST_COPIES:
        raise UsageError(say("sheets.bad_copies", most=MOST_COPIES, copies=args.copies))
    path = write_pdf(args.out, args.label, args.copies)
    print(say("sheets.printed", copies=args.copies, emotion=say(f"sheets.emotion.{args.label}"), path=path))
    return 0


def _report(result) -> None:
    from smiley_checks.messages import say

    name = result.photo.name
    if result.problem:
        print(f"smiley-checks: {result.problem}", file=sys.stderr, flush=True)
    elif result.earlier:
        print(say("sheets.already_imported", photo=name, earlier=result.earlier), flush=True)
    else:
        print(say("sheets.photo_done", photo=name, count=result.drawings, empty=result.empty,
                  **{split: result.per_split.get(split, 0) for split in SPLITS}), flush=True)


def run_import(args) -> int:
    from smiley_checks.messages import say
    from smiley_checks.sheets.importing import import_photos
    from smiley_checks.sheets.store import ImportFolder

    results = import_photos(args.photos, args.label, args.into, report=_report)
    folder = ImportFolder(args.into)
    labels = folder.labels()
    if labels:
        counts = folder.counts()
        summary = "; ".join(f"{split} " + "/".join(str(counts[split][label]) for label in labels) for split in SPLITS)
        print(say("sheets.summary", folder=args.into, header="/".join(labels), counts=summary))
        for label in LESSON_CLASSES:
            if label not in labels:
                print(say("sheets.still_missing", label=say(f"sheets.emotion.{label}")))
    failed = sum(1 for result in results if not result.ok)
    if failed:
        print(f"smiley-checks: {say('sheets.some_failed', failed=failed, total=len(results))}", file=sys.stderr)
        return 2
    return 0
