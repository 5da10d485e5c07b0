"""tools/measure_answers.py: the pooling arithmetic behind the no-Conv2D answer, and its page."""

import importlib.util

import numpy as np

from smiley_checks.dataset.layout import REPO_ROOT


def tool():
    spec = importlib.util.spec_from_file_location("measure_answers", REPO_ROOT / "tools" / "measure_answers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_max_pool_keeps_paper_and_drops_odd_edges():
    m = tool()
    image = np.full((1, 5, 5), 255.0)
    image[0, 0, 0] = image[0, 2, 2] = image[0, 2, 3] = image[0, 3, 2] = image[0, 3, 3] = 0  # one ink block of 2x2
    pooled = m.max_pool(image)
    assert pooled.shape == (1, 2, 2)
    assert pooled[0].tolist() == [[255, 255], [255, 0]]  # a lone ink pixel is gone, a full ink block stays


def test_ink_shares_dark_ink_vanishes_bright_ink_grows():
    m = tool()
    image = np.full((1, 8, 8), 255.0)
    image[0, 3, :] = 0  # one line of ink
    assert m.ink_shares(image, steps=2) == [8 / 64, 0.0, 0.0]
    assert m.ink_shares(255 - image, steps=2, ink_value=255) == [8 / 64, 4 / 16, 2 / 4]


def test_page_shows_the_figures_and_the_seed_counts():
    m = tool()
    page = m.render({"pooling": {"drawings": 3, "ink_share_dark_ink": [0.11, 0.07, 0.01, 0.0, 0.0],
                                 "ink_share_bright_ink": [0.11, 0.2, 0.3, 0.4, 0.5],
                                 "blank_share_after_steps": [0, 0, 0, 1, 1], "measured_on": "2026-12-01"},
                     "relu": {"seeds": 2, "loss_of_outputs": {"outputs (0, 0)": float("nan")},
                              "runs": [{"seed": 0, "nan": True, "nan_at_batch": 7, "accuracy": 0.0,
                                        "drawings_both_outputs_zero_before_blowup": 12, "drawings": 600},
                                       {"seed": 1, "nan": False, "accuracy": 0.9}]}})
    assert "| 11.0% | 7.0% | 1.0% | 0.0% | 0.0% |" in page
    assert "the loss became NaN in 1 of 2" in page and "12 of 600" in page


def test_a_part_stores_the_drawings_and_packages_it_was_measured_on(tmp_path, monkeypatch):
    """The cheap part (no training), written to a scratch folder: its JSON and the page name the drawings."""
    from smiley_checks.provenance import manifest_hash, stale, stored_hashes

    m = tool()
    monkeypatch.setattr(m, "OUT", tmp_path)
    monkeypatch.setattr(m, "IMG", tmp_path / "pooling-steps.png")
    assert m.main(["pooling"]) == 0
    record = __import__("json").loads((tmp_path / "pooling.json").read_text())["provenance"]
    assert record["data"]["manifest_sha256"] == manifest_hash()
    assert {"keras", "numpy"} <= set(record["packages"])
    assert stored_hashes(tmp_path / "model-answers.md") == [manifest_hash()]
    assert stale([tmp_path / "pooling.json", tmp_path / "model-answers.md"], manifest_hash()) == {}
