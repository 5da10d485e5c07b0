import hashlib
import json

from smiley_checks.dataset.build import DEFAULT_SEED, generate_dataset
from smiley_checks.dataset.layout import INFO, MANIFEST, SHIPPED_DIR, SPLIT_SIZES


def test_regenerating_reproduces_the_shipped_files_byte_for_byte(tmp_path):
    info = json.loads((SHIPPED_DIR / INFO).read_text())
    assert info["seed"] == DEFAULT_SEED and info["sizes"] == SPLIT_SIZES
    generate_dataset(tmp_path, seed=info["seed"], sizes=info["sizes"])
    assert (tmp_path / MANIFEST).read_text() == (SHIPPED_DIR / MANIFEST).read_text()


def test_manifest_matches_every_shipped_file():
    lines = (SHIPPED_DIR / MANIFEST).read_text().splitlines()
    assert len(lines) == 3 * sum(SPLIT_SIZES.values())
    for line in lines:
        digest, relative = line.split("  ")
        assert hashlib.sha256((SHIPPED_DIR / relative).read_bytes()).hexdigest() == digest, relative


def test_another_seed_draws_other_images(tmp_path):
    sizes = {"train": 2, "val": 1, "heldout": 1}
    first = generate_dataset(tmp_path / "a", seed=1, sizes=sizes)
    second = generate_dataset(tmp_path / "b", seed=2, sizes=sizes)
    assert (first / MANIFEST).read_text() != (second / MANIFEST).read_text()


def test_one_image_does_not_depend_on_how_many_were_drawn(tmp_path):
    small = generate_dataset(tmp_path / "small", seed=3, sizes={"train": 2, "val": 1, "heldout": 1})
    large = generate_dataset(tmp_path / "large", seed=3, sizes={"train": 5, "val": 1, "heldout": 1})
    assert (small / "train/happy/0001.png").read_bytes() == (large / "train/happy/0001.png").read_bytes()
