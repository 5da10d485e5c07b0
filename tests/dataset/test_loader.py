import numpy as np
import pytest

from smiley_checks.dataset.layout import MANIFEST, SPLIT_SIZES
from smiley_checks.dataset.loader import load_dataset, load_split
from smiley_checks.errors import DataError


def test_shipped_splits_have_the_lesson_format():
    splits = load_dataset()
    for name, split in splits.items():
        assert split.images.shape == (2 * SPLIT_SIZES[name], 110, 110, 1)
        assert split.images.dtype == np.uint8
        assert set(np.unique(split.images)) == {0, 255}  # binarised, not divided by 255
        assert split.labels.shape == (len(split), 2)
        assert split.class_names == ("happy", "surprised")
        np.testing.assert_array_equal(split.labels.sum(axis=1), 1)
        assert (split.label_indices == 0).sum() == SPLIT_SIZES[name]


def test_class_order_follows_the_request(tiny_dataset):
    split = load_split("train", ("surprised", "happy", "sad"), tiny_dataset)
    assert split.class_names == ("surprised", "happy", "sad")
    assert split.labels.shape == (18, 3)
    assert list(split.label_indices[:6]) == [0] * 6


def test_heldout_images_are_not_in_train():
    train, heldout = load_split("train"), load_split("heldout")
    train_set = {image.tobytes() for image in train.images}
    assert not any(image.tobytes() in train_set for image in heldout.images)


def copy_dataset(source, target):
    import shutil

    shutil.copytree(source, target)
    return target


def test_missing_file_names_it_and_the_fix(tiny_dataset, tmp_path):
    root = copy_dataset(tiny_dataset, tmp_path / "d")
    (root / "val/happy/0001.png").unlink()
    with pytest.raises(DataError) as caught:
        load_split("val", root=root)
    message = str(caught.value)
    assert "val/happy/0001.png" in message and "smiley-checks data --regenerate" in message
    assert "\n" not in message


def test_damaged_file_is_caught_by_its_checksum(tiny_dataset, tmp_path):
    root = copy_dataset(tiny_dataset, tmp_path / "d")
    path = root / "train/surprised/0002.png"
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(DataError, match=r"train/surprised/0002.png is damaged \(its checksum"):
        load_split("train", root=root)


def test_undecodable_file_without_manifest_is_reported(tiny_dataset, tmp_path):
    root = copy_dataset(tiny_dataset, tmp_path / "d")
    (root / MANIFEST).unlink()
    (root / "train/happy/0000.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match=r"train/happy/0000.png is damaged \(UnidentifiedImageError\)"):
        load_split("train", root=root)


def test_missing_folder_and_unknown_names(tmp_path):
    with pytest.raises(DataError, match="nowhere is missing. Check SMILEY_CHECKS_DATA"):
        load_split("train", root=tmp_path / "nowhere")
    with pytest.raises(DataError, match="no split called 'test'"):
        load_split("test")
    with pytest.raises(DataError, match="no class called 'angry'"):
        load_split("train", ("happy", "angry"))


def test_env_setting_points_the_loader_at_another_folder(tiny_dataset, monkeypatch):
    monkeypatch.setenv("SMILEY_CHECKS_DATA", str(tiny_dataset))
    assert len(load_split("heldout")) == 8


def test_a_class_without_training_drawings_is_reported(tiny_dataset, tmp_path):
    root = copy_dataset(tiny_dataset, tmp_path / "d")
    (root / MANIFEST).unlink()
    for path in (root / "train/surprised").glob("*.png"):
        path.unlink()
    with pytest.raises(DataError, match="There are no surprised drawings in .*train/surprised"):
        load_split("train", root=root)


def test_missing_shipped_data_says_how_to_draw_it_again(tmp_path, monkeypatch):
    import smiley_checks.dataset.loader as loader

    monkeypatch.setattr(loader, "SHIPPED_DIR", tmp_path / "smileys")
    with pytest.raises(DataError, match=r"smileys is missing. Make it again with: smiley-checks data --regenerate"):
        load_split("train", root=tmp_path / "smileys")
