"""`smiley-checks data compare FOLDER`: a folder of drawings next to the shipped smileys."""

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from smiley_checks.cli import main
from smiley_checks.dataset.figures import FIGURES, summarise
from smiley_checks.dataset.layout import SHIPPED_DIR
from smiley_checks.dataset.loader import load_split


def per_class(folder, label="happy", split="*") -> int:
    return len(list(folder.glob(f"{split}/{label}/*.png")))


def as_json(capsys, *argv) -> dict:
    assert main(["data", "compare", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def write_png(path, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)


def test_an_imported_folder_is_measured_per_class_next_to_the_shipped_heldout(tiny_dataset, capsys):
    result = as_json(capsys, tiny_dataset)
    assert list(result["classes"]) == ["happy", "surprised", "sad"]
    happy = result["classes"]["happy"]
    assert set(happy["here"]) == set(FIGURES) == set(happy["shipped"])
    assert happy["here"]["ink_share"]["count"] == per_class(tiny_dataset)  # every split of the folder
    assert happy["shipped"]["ink_share"]["count"] == 100  # the shipped held-out split
    heldout = load_split("heldout", ("happy", "surprised"), SHIPPED_DIR)
    expected = summarise(heldout.images[heldout.label_indices == 1])["face_size"]
    assert result["classes"]["surprised"]["shipped"]["face_size"]["mean"] == pytest.approx(expected.mean, abs=1e-4)


def test_one_folder_per_class_is_read_too(tmp_path, tiny_dataset, capsys):
    for path in (tiny_dataset / "train" / "surprised").glob("*.png"):
        (tmp_path / "surprised").mkdir(exist_ok=True)
        shutil.copy(path, tmp_path / "surprised" / path.name)
    result = as_json(capsys, tmp_path)
    assert list(result["classes"]) == ["surprised"]
    assert result["classes"]["surprised"]["here"]["pieces"]["count"] == per_class(tiny_dataset, "surprised", "train")


def test_against_another_folder_compares_with_all_its_drawings(tiny_dataset, capsys):
    result = as_json(capsys, tiny_dataset, "--against", tiny_dataset)
    for entry in result["classes"].values():
        assert entry["here"] == entry["shipped"]


def test_the_table_names_every_figure_and_marks_clear_differences(tmp_path, capsys):
    big = np.full((110, 110), 255, np.uint8)
    big[5:105, 5:105] = 0  # all ink: far more than any shipped smiley
    for index in range(3):
        write_png(tmp_path / "happy" / f"{index:04d}.png", big)
    assert main(["data", "compare", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "happy: 3 drawings in your folder, 100 to compare with" in out
    ink_line = next(line for line in out.splitlines() if "share of ink pixels" in line)
    assert "82.6 (0.0)" in ink_line and ink_line.endswith("*")
    for label in ("face size", "stroke width", "lowest row", "separate pieces", "holes", "centre"):
        assert label in out


def test_dutch_uses_the_lessons_words(tiny_dataset, capsys, english):
    assert main(["--lang", "nl", "data", "compare", str(tiny_dataset)]) == 0
    out = capsys.readouterr().out
    count = per_class(tiny_dataset)
    assert f"blij: {count} tekeningen in je map" in out and f"verbaasd: {count} tekeningen" in out
    assert "lijndikte" in out and "meegeleverd" in out


def test_png_shows_typical_drawings(tiny_dataset, tmp_path, capsys):
    target = tmp_path / "typical.png"
    assert main(["data", "compare", str(tiny_dataset), "--png", str(target)]) == 0
    with Image.open(target) as image:
        assert image.format == "PNG" and image.height > image.width  # six rows: yours and shipped, per class
    assert str(target) in capsys.readouterr().out


def one_error_line(capsys, argv) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def test_a_missing_folder_is_one_sentence(tmp_path, capsys):
    err = one_error_line(capsys, ["data", "compare", str(tmp_path / "gone")])
    assert "There is no folder" in err and "sheets import" in err


def test_an_empty_folder_is_one_sentence(tmp_path, capsys):
    (tmp_path / "train" / "happy").mkdir(parents=True)
    err = one_error_line(capsys, ["data", "compare", str(tmp_path)])
    assert f"There are no drawings in {tmp_path}" in err


def test_a_drawing_of_the_wrong_size_is_named(tmp_path, capsys, english):
    write_png(tmp_path / "happy" / "0000.png", np.full((110, 110), 255, np.uint8))
    write_png(tmp_path / "happy" / "0001.png", np.full((60, 80), 255, np.uint8))
    err = one_error_line(capsys, ["data", "compare", str(tmp_path)])
    assert "0001.png is 80 x 60 pixels, not 110 x 110" in err
    err = one_error_line(capsys, ["--lang", "nl", "data", "compare", str(tmp_path)])
    assert "0001.png is 80 x 60 pixels, niet 110 x 110" in err


def test_a_file_that_is_no_picture_is_named(tmp_path, capsys):
    (tmp_path / "surprised").mkdir()
    (tmp_path / "surprised" / "0000.png").write_text("not a picture")
    err = one_error_line(capsys, ["data", "compare", str(tmp_path)])
    assert "0000.png is not a picture that can be read" in err


def test_data_without_an_action_still_summarises(capsys):
    assert main(["data", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["shape"] == [110, 110, 1]
