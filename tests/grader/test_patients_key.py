"""The doctor's task (grader/smiley_grader/patients.py): the notebook's list and the grader's agree, each
network shows the sign its model answer names, and the shipped evidence is what the networks give today."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from smiley_checks.tasks.break_model import DOCTOR_CHANGES
from smiley_checks.training import patients as shown
from smiley_checks.training.diagnosis.breaks import BREAKS
from smiley_grader.patients import CHANGES, PATIENTS, evidence

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = (REPO / "templates" / "break_the_model.md").read_text(encoding="utf-8")


def _task_text(language: str) -> str:
    section = TEMPLATE.split("%% markdown id=task_doctor\n", 1)[1].split("\n%% code", 1)[0]
    return section.split(f"%% {language}\n", 1)[1].split("\n%% ", 1)[0]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_notebooks_list_has_as_many_changes_as_the_grader_knows(language):
    numbers = [int(n) for n in re.findall(r"^(\d)\. ", _task_text(language), re.M)]
    assert numbers == list(range(1, DOCTOR_CHANGES + 1)) == sorted(CHANGES)


def test_every_change_is_a_labelled_break_or_a_choice_only():
    names = {b.name for b in BREAKS}
    assert all(name is None or name in names for name in CHANGES.values())
    assert len({p.change for p in PATIENTS}) == len(PATIENTS)  # three different changes
    assert [p.letter.upper() for p in PATIENTS] == list(shown.LETTERS)


def _flat_blocks(data: dict) -> list[int]:
    """Blocks (1, 2, ...) whose maps are one value everywhere for both drawings."""
    from smiley_checks.training.diagnosis.signals import flat

    out = []
    for number, block in enumerate(data["blocks"], start=1):
        grids = np.array([[[np.nan if v is None else v for v in row] for row in grid] for grid in block], dtype=float)
        if grids[0].size > 1 and flat(grids).all():
            out.append(number)
    return out


def _signs(data: dict) -> dict:
    history = data["history"]
    return {"empty_from_block_1": _flat_blocks(data)[:1] == [1],
            "nan_in_epoch_1": history["loss"][0] is None,
            "val_loss_in_millions": max((v for v in history["val_loss"] if v is not None), default=0) > 1e6}


def test_each_network_shows_the_sign_its_model_answer_names_and_no_other():
    """What the hints, the judge's texts and the model answer say each network shows (and the original
    shows none of it): measured on the shipped evidence."""
    expected = {"a": "empty_from_block_1", "b": "nan_in_epoch_1", "c": "val_loss_in_millions"}
    for patient in PATIENTS:
        signs = _signs(shown.load_patient(patient.letter))
        assert [sign for sign, seen in signs.items() if seen] == [expected[patient.letter]], patient
    original = shown.load_patient("original")
    assert not any(_signs(original).values()) and not _flat_blocks(original)
    assert original["history"]["val_accuracy"][-1] >= 0.85


def test_the_model_answers_numbers_are_the_shipped_evidence():
    """The model answer quotes network C's first losses and network A's confusion matrix."""
    c = shown.load_patient("C")["history"]
    assert f"{c['val_loss'][0]:,.0f}" in TEMPLATE and f"{c['loss'][0]:.1f}" in TEMPLATE
    assert f"{c['val_loss'][0]:,.0f}".replace(",", ".") in TEMPLATE  # the Dutch model answer
    guides = {name: (REPO / "docs" / name).read_text(encoding="utf-8") for name in ("teacher-guide.md",
                                                                                     "handleiding-leerkracht.md")}
    assert f"{c['val_loss'][0]:,.0f}" in guides["teacher-guide.md"]
    assert f"{c['val_loss'][0]:,.0f}".replace(",", ".") in guides["handleiding-leerkracht.md"]
    assert f"up to {max(c['val_loss']) / 1e6:.0f} million" in guides["teacher-guide.md"]
    a = shown.load_patient("A")
    assert sorted(sum(column) for column in zip(*a["confusion"])) == [0, 60]  # "all 60 in one column"
    assert all(abs(loss - 0.69) < 0.005 for loss in a["history"]["loss"])  # "about 0.69 every epoch"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["a", "b", "c", "original"])
def test_the_shipped_evidence_is_what_the_networks_give_today(name):
    """Trains the network again (seed 0, the lesson's way): a change in the drawings, Keras or the
    breaks shows here. Regenerate with tools/make_patients.py."""
    break_name = "original" if name == "original" else next(p.break_name for p in PATIENTS if p.letter == name)
    fresh = json.loads(json.dumps(evidence(break_name)))
    stored = shown.load_patient(name)
    assert fresh["confusion"] == stored["confusion"] and fresh["drawings"] == stored["drawings"]
    for key, values in stored["history"].items():
        assert [v is None for v in fresh["history"][key]] == [v is None for v in values], key
        assert np.allclose([v for v in fresh["history"][key] if v is not None], [v for v in values if v is not None],
                           rtol=1e-3, atol=1e-4), key
    for fresh_block, stored_block in zip(fresh["blocks"], stored["blocks"], strict=True):
        a = np.array(fresh_block, dtype=float)
        b = np.array(stored_block, dtype=float)
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-2, equal_nan=True)
