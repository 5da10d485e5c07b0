"""show_verdict in a notebook: the tries, the verdict, the seed strip, and the picture of the main diagnosis."""

import base64

import pytest

from smiley_checks import notebook
from smiley_checks.training.reliability import Verdict


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    images = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: images.append(obj))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    yield images
    import matplotlib.pyplot as plt

    plt.close("all")


def _verdict(codes, pictures):
    findings = [[{"code": c, "details": {"share": 1.0, "answer": 0}}] if c else [] for c in codes]
    return Verdict("broken", [0.5] * len(codes), [1.0] * len(codes), list(range(len(codes))), "grading", 5.0,
                   epochs_per_seed=[3] * len(codes), findings_per_seed=findings, pictures=pictures)


PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 20).decode()


def test_the_verdict_shows_the_picture_of_the_diagnosis_most_tries_got(shown, monkeypatch, capsys):
    import smiley_checks.training.reliability as reliability_module

    asked = {}
    verdict = _verdict(["one_answer", None, "one_answer"], {"one_answer": PNG})
    monkeypatch.setattr(reliability_module, "reliability", lambda builder, **kw: asked.update(kw) or verdict)
    assert notebook.show_verdict(lambda: None) is verdict
    assert asked["diagnose"] and asked["pictures"]
    [image] = shown
    assert image.data == base64.b64decode(PNG)
    assert "seed 1" in capsys.readouterr().out


def test_no_picture_when_no_try_got_a_diagnosis(shown, monkeypatch):
    import smiley_checks.training.reliability as reliability_module

    monkeypatch.setattr(reliability_module, "reliability", lambda builder, **kw: _verdict([None, None], {}))
    notebook.show_verdict(lambda: None)
    assert shown == []
