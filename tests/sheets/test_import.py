"""Import simulated phone photos end to end, through the command line, as a teacher would."""

import hashlib
import shutil

import numpy as np
import pytest
from sheet_photos import assert_sentences, imported_files, run_cli

from smiley_checks.dataset.layout import MANIFEST, SPLITS
from smiley_checks.dataset.loader import load_split, read_image

GOOD = {"happy_a.jpg": 24, "happy_b.jpg": 16, "surprised_c.jpg": 24}
MIN_AGREEMENT = 0.98


@pytest.fixture(scope="module")
def imported(shoot, tmp_path_factory):
    """One run with good and bad photos mixed (--label happy), then the surprised sheet."""
    folder = tmp_path_factory.mktemp("class") / "drawings"
    p = shoot.photos
    first = run_cli("sheets", "import", p["happy_a.jpg"], p["covered.jpg"], p["dark.jpg"], p["blurred.jpg"],
                    p["surprised_c.jpg"], shoot.folder / "notes.txt", p["happy_b.jpg"],
                    "--label", "happy", "--into", folder)
    second = run_cli("sheets", "import", p["surprised_c.jpg"], "--label", "surprised", "--into", folder)
    return folder, first, second


def test_each_bad_photo_gets_one_clear_sentence_and_the_run_exits_2(imported):
    _, first, _ = imported
    assert first.code == 2
    expected = [  # regular expressions: the measured numbers may move a little between OpenCV builds
        r"covered\.jpg: the black square in the top right corner is not visible; take the photo again with all "
        r"four corner squares in the picture and uncovered\.",
        r"dark\.jpg is too dark \(the paper is only 1\d % of white\); take it again in better light\.",
        r"blurred\.jpg is too blurred \(edges are smeared over about (0\.9|1\.\d) mm, at most 0\.6 mm allowed\); "
        r"hold the phone still and tap the sheet to focus\.",
        r"surprised_c\.jpg shows a sheet for surprised smileys, not happy ones; import it with --label surprised\.",
        r"notes\.txt: this is not a photo we can read; use a JPEG, PNG or HEIC file\.",
        r"5 of 7 photos could not be imported \(see above\); the others were imported\.",
    ]
    assert_sentences(first.err, expected)


def test_good_photos_in_the_same_run_are_imported_and_counted(imported):
    _, first, second = imported
    lines = first.out.splitlines()
    assert lines[0].startswith("happy_a.jpg: 24 drawings found (0 empty boxes skipped): train ")
    assert lines[1].startswith("happy_b.jpg: 16 drawings found (8 empty boxes skipped): train ")
    assert "There are no surprised drawings yet" in first.out
    assert second.code == 0, second.err
    assert second.out.startswith("surprised_c.jpg: 24 drawings found (0 empty boxes skipped)")
    assert "(per split: happy/surprised)" in second.out


def test_every_drawing_comes_back_with_its_label_and_its_pixels(imported, shoot, record_property):
    folder, _, _ = imported
    files = imported_files(folder)
    assert set(files) == set(GOOD)
    agreements = []
    for name, count in GOOD.items():
        drawn = shoot.drawn[name]
        assert len(files[name]) == count == len(drawn)
        for (row, column), drawing in drawn.items():
            relative = files[name][f"r{row + 1}c{column + 1}"]
            assert relative.split("/")[1] == shoot.label[name]
            image = read_image(folder / relative, None)  # as the loader reads it: 110 x 110, 0 and 255
            agreement = float((image == drawing).mean())
            agreements.append(agreement)
            assert agreement >= MIN_AGREEMENT, (name, row, column, agreement)
    record_property("agreement_min", min(agreements))
    record_property("agreement_mean", float(np.mean(agreements)))
    print(f"\nagreement over {len(agreements)} drawings: min {min(agreements):.4f}, mean {np.mean(agreements):.4f}")


def test_each_photographed_sheet_goes_to_one_split(imported):
    folder, first, _ = imported
    files = imported_files(folder)
    splits = {name: {relative.split("/")[0] for relative in boxes.values()} for name, boxes in files.items()}
    assert splits == {"happy_a.jpg": {"train"}, "happy_b.jpg": {"heldout"}, "surprised_c.jpg": {"train"}}
    assert "happy_b.jpg: 16 drawings found (8 empty boxes skipped): train 0, val 0, heldout 16." in first.out


def test_the_folder_replaces_the_shipped_set_through_one_setting(imported, monkeypatch):
    folder, _, _ = imported
    monkeypatch.setenv("SMILEY_CHECKS_DATA", str(folder))
    totals = np.zeros(2, int)
    for split in SPLITS:
        loaded = load_split(split)  # no root: the setting chooses the folder
        assert loaded.class_names == ("happy", "surprised")
        assert loaded.images.shape[1:] == (110, 110, 1) and loaded.images.dtype == np.uint8
        assert set(np.unique(loaded.images)) <= {0, 255}
        totals += loaded.labels.sum(axis=0).astype(int)
    assert list(totals) == [24 + 16, 24]
    train = len(load_split("train"))
    assert train == 24 + 24  # the first sheet of each emotion (see test_store for the shares)
    # Training reads its data through the same setting.
    from smiley_checks.training.data import training_data

    data = training_data()
    assert len(data.train) == train and data.class_names == ("happy", "surprised")


def test_the_manifest_lists_every_image_with_its_checksum(imported):
    folder, _, _ = imported
    lines = (folder / MANIFEST).read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    on_disk = {path.relative_to(folder).as_posix() for path in folder.rglob("*.png")}
    assert set(listed) == on_disk
    for relative, digest in listed.items():
        assert hashlib.sha256((folder / relative).read_bytes()).hexdigest() == digest


def test_importing_more_never_renumbers_overwrites_or_doubles(imported, shoot, tmp_path):
    folder = shutil.copytree(imported[0], tmp_path / "drawings")
    before = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.png")}
    run = run_cli("sheets", "import", shoot.photos["happy_a.jpg"], shoot.photos["happy_d.jpg"],
                  "--label", "happy", "--into", folder)
    assert run.code == 0, run.err
    assert "happy_a.jpg: already imported (as happy_a.jpg); skipped." in run.out
    assert "happy_d.jpg: 24 drawings found" in run.out
    after = {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*.png")}
    assert all(after[name] == data for name, data in before.items())
    added = set(after) - set(before)
    assert len(added) == 24
    for name in added:  # new numbers come after the old ones of the same split and class
        split, label, file = name.split("/")
        old = [int(n.split("/")[2][:4]) for n in before if n.startswith(f"{split}/{label}/")]
        assert int(file[:4]) > max(old, default=-1)
    assert len((folder / MANIFEST).read_text().splitlines()) == len(after)


def test_messages_follow_the_language_setting(shoot, tmp_path):
    run = run_cli("--lang", "nl", "sheets", "import", shoot.photos["covered.jpg"], "--label", "happy",
                  "--into", tmp_path / "x")
    assert run.code == 2
    assert "covered.jpg: het zwarte vierkantje in de hoek rechtsboven is niet zichtbaar" in run.err


def test_an_iphone_heic_photo_imports_like_its_jpeg(shoot, tmp_path):
    # iPhones save HEIC by default; OpenCV cannot read it, so the import falls back to pillow-heif.
    import pillow_heif
    from PIL import Image

    heic = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(Image.open(shoot.photos["happy_a.jpg"]).convert("RGB")).save(heic, quality=90)
    damaged = tmp_path / "IMG_0002.HEIC"
    damaged.write_bytes(heic.read_bytes()[:400])
    from_jpeg = run_cli("sheets", "import", shoot.photos["happy_a.jpg"], "--label", "happy", "--into", tmp_path / "a")
    from_heic = run_cli("sheets", "import", heic, damaged, "--label", "happy", "--into", tmp_path / "b")
    assert from_jpeg.code == 0, from_jpeg.err
    assert from_heic.out.startswith("IMG_0001.HEIC: 24 drawings found (0 empty boxes skipped)"), from_heic.out
    assert from_heic.err.splitlines()[0] == (
        "smiley-checks: IMG_0002.HEIC: this is not a photo we can read; use a JPEG, PNG or HEIC file.")
    assert from_heic.code == 2
    jpeg_drawings = sorted((tmp_path / "a").rglob("*.png"))
    heic_drawings = sorted((tmp_path / "b").rglob("*.png"))
    assert len(jpeg_drawings) == len(heic_drawings) == 24
    agreement = [np.mean(np.asarray(Image.open(a)) == np.asarray(Image.open(b)))
                 for a, b in zip(jpeg_drawings, heic_drawings)]
    assert min(agreement) >= MIN_AGREEMENT, min(agreement)
