"""The teacher's fill: the networks the source notebooks show verdicts of, built from the notebooks' own code."""

import json

import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.errors import SmileyChecksError
from smiley_grader.gateway.fill import notebook_networks

SOURCE = REPO_ROOT / "source"


@pytest.mark.parametrize("notebook, lang", [("break_the_model", "en"), ("breek_het_model", "nl")])
def test_each_source_notebook_gives_its_language_and_the_networks_it_shows(notebook, lang, keras):
    found_lang, builders = notebook_networks(SOURCE / notebook / f"{notebook}.ipynb")
    assert found_lang == lang
    assert list(builders)[:4] == ["build_original", "build_no_batchnorm", "build_no_conv2d", "build_only_dense"]


def test_the_notebooks_original_is_the_network_a_student_sends_so_the_cache_finds_it(keras):
    from smiley_checks.training.cache_key import model_config
    from smiley_checks.variants import build_variant

    _, builders = notebook_networks(SOURCE / "break_the_model" / "break_the_model.ipynb")
    assert model_config(builders["build_original"]()) == model_config(build_variant("original"))


def test_only_the_builders_run_not_the_rest_of_a_cell(tmp_path, keras):
    notebook = {"cells": [{"cell_type": "code", "source": ["set_language('nl')\n", "raise SystemExit('ran')\n"]},
                          {"cell_type": "code", "source": ["def build_a():\n    return 1\n", "raise SystemExit('ran')\n"]},
                          {"cell_type": "code", "source": ["show_verdict(build_a)\n", "show_verdict(build_missing)"]}]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(notebook))
    lang, builders = notebook_networks(path)
    assert lang == "nl" and list(builders) == ["build_a"] and builders["build_a"]() == 1


def test_a_file_that_is_no_notebook_is_one_sentence(tmp_path, english):
    (tmp_path / "x.ipynb").write_text("no json")
    with pytest.raises(SmileyChecksError, match="is not a notebook"):
        notebook_networks(tmp_path / "x.ipynb")
