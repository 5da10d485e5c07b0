"""`smiley-checks gateway`: what goes wrong before it serves or fills is one sentence, no traceback."""

import json

from smiley_checks.cli import main


def test_a_tokens_file_that_is_not_a_map_of_names_is_one_sentence(tmp_path, capsys, english, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(["ada"]))
    assert main(["gateway", "--tokens", str(tokens)]) == 2
    said = capsys.readouterr().err
    assert "must be JSON" in said and "Traceback" not in said and said.count("\n") == 1


def test_without_a_hub_or_tokens_the_gateway_does_not_start(capsys, english, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    assert main(["gateway"]) == 2
    assert "JupyterHub service" in capsys.readouterr().err


def test_fill_without_a_gateway_to_fill_is_one_sentence(capsys, english, monkeypatch, tmp_path):
    for name in ("SMILEY_TRAINING_GATEWAY", "SMILEY_TRAINING_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["gateway", "fill", str(tmp_path / "x.ipynb")]) == 2
    assert "Which gateway?" in capsys.readouterr().err
