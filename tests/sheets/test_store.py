"""The import folder: a whole sheet (one student's drawings) goes to one split."""

import json

import numpy as np
import pytest

from smiley_checks.dataset.layout import SPLIT_SIZES, SPLITS
from smiley_checks.dataset.loader import load_split
from smiley_checks.sheets import layout
from smiley_checks.sheets.store import ImportFolder, split_for_sheet

SHEETS_PER_EMOTION = 18  # 432 drawings: about what the shipped set has per class (430)


def fake_sheet(number: int, boxes=None) -> dict[tuple[int, int], np.ndarray]:
    """A sheet's drawings, each image unique (its number written into the pixels) so files can be traced."""
    drawings = {}
    for index, cell in enumerate(layout.cells() if boxes is None else boxes):
        image = np.full((110, 110), 255, np.uint8)
        image.reshape(-1)[: number * 24 + index + 1] = 0
        drawings[cell] = image
    return drawings


def import_fake_class(root, sheets=SHEETS_PER_EMOTION):
    folder = ImportFolder(root)
    for number in range(sheets):
        for label_index, label in enumerate(("happy", "surprised")):
            folder.add(f"{label}_{number:02d}.jpg", f"{2 * number + label_index:064x}", label,
                       fake_sheet(2 * number + label_index))
    return json.loads((root / "dataset.json").read_text())


def splits_of_each_sheet(info) -> dict[str, set[str]]:
    return {photo["name"]: {relative.split("/")[0] for relative in photo["files"].values()}
            for photo in info["photos"]}


def test_every_sheet_lands_in_exactly_one_split(tmp_path):
    info = import_fake_class(tmp_path / "class")
    for name, splits in splits_of_each_sheet(info).items():
        assert len(splits) == 1, (name, splits)  # one student's drawings never in two splits
    recorded = {photo["name"]: photo["split"] for photo in info["photos"]}
    assert recorded == {name: splits.pop() for name, splits in splits_of_each_sheet(info).items()}


def test_held_out_drawings_come_from_sheets_never_trained_on(tmp_path):
    root = tmp_path / "class"
    import_fake_class(root)
    train = {image.tobytes() for image in load_split("train", root=root).images}
    heldout = load_split("heldout", root=root).images
    assert len(heldout) and not any(image.tobytes() in train for image in heldout)


def test_the_proportions_stay_within_a_sheet_of_the_shipped_ones(tmp_path):
    info = import_fake_class(tmp_path / "class")
    total = sum(SPLIT_SIZES.values())
    for label in ("happy", "surprised"):
        drawings = sum(info["counts"][split][label] for split in SPLITS)
        assert drawings == 24 * SHEETS_PER_EMOTION
        for split in SPLITS:
            wanted = SPLIT_SIZES[split] / total * drawings
            assert abs(info["counts"][split][label] - wanted) <= 24, (label, split, info["counts"])
    assert info["counts"]["train"] == {"happy": 312, "surprised": 312}


def test_the_same_sheets_in_the_same_order_give_the_same_splits(tmp_path):
    first = import_fake_class(tmp_path / "a", sheets=7)
    second = import_fake_class(tmp_path / "b", sheets=7)
    assert [photo["split"] for photo in first["photos"]] == [photo["split"] for photo in second["photos"]]


def test_every_split_has_a_sheet_from_the_third_sheet_of_an_emotion_on():
    assert split_for_sheet({}, 24) == "train"
    assert split_for_sheet({"train": 24}, 24) == "heldout"
    assert split_for_sheet({"train": 24, "heldout": 16}, 24) == "val"
    assert split_for_sheet({"train": 24, "heldout": 24, "val": 24}, 24) == "train"


@pytest.mark.parametrize("boxes", [None, layout.cells()[:5]])
def test_a_later_import_continues_the_shares_of_what_is_there(tmp_path, boxes):
    root = tmp_path / "class"
    import_fake_class(root, sheets=4)
    ImportFolder(root).add("late.jpg", "f" * 64, "happy", fake_sheet(99, boxes))
    info = json.loads((root / "dataset.json").read_text())
    late = info["photos"][-1]
    assert late["split"] == "train" and splits_of_each_sheet(info)["late.jpg"] == {"train"}
