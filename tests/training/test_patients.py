"""The doctor's task's evidence, as a student sees it: numbers only, drawn in her language, one clear
sentence for a wrong letter or a missing file. (Whether the evidence is still what the networks give:
tests/grader/test_patients_key.py.)"""

import json

import pytest

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say, set_language
from smiley_checks.training import patients


@pytest.fixture(autouse=True)
def english():
    yield
    set_language("en")
    import matplotlib.pyplot as plt

    plt.close("all")  # a notebook closes what it showed; these tests draw a dozen figures


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("letter", [*patients.LETTERS, patients.ORIGINAL])
def test_the_evidence_is_numbers_only(letter):
    """Nothing in a network's file names a layer or a setting: no text at all besides the field names."""
    evidence = patients.load_patient(letter)
    assert set(evidence) == {"seed", "history", "confusion", "drawings", "blocks"}
    assert set(evidence["history"]) == {"loss", "val_loss", "accuracy", "val_accuracy"}
    assert not list(_strings([evidence["confusion"], evidence["drawings"], evidence["blocks"],
                              list(evidence["history"].values())]))
    assert sum(map(sum, evidence["confusion"])) == 60  # every validation drawing once


@pytest.mark.parametrize("letter", ["D", "", 1, "originel"])
def test_a_letter_that_is_not_a_network_gets_one_sentence(letter):
    with pytest.raises(SmileyChecksError) as error:
        patients.load_patient(letter)
    assert str(error.value) == say("patient.unknown", letter=letter, letters="A, B, C")


def test_lower_case_and_spaces_are_fine():
    assert patients.load_patient(" a") == patients.load_patient("A")
    assert patients.load_patient("Original") == patients.load_patient("original")


def test_a_missing_file_gets_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(patients, "DATA", tmp_path)
    with pytest.raises(SmileyChecksError) as error:
        patients.load_patient("A")
    assert str(error.value) == say("patient.missing", path=tmp_path / "a.json")


def test_numbers_are_written_as_a_student_reads_them():
    evidence = {"history": {"loss": [None, 0.6935], "val_loss": [2472816.0, 0.5]}}
    assert "NaN, 0.694" in patients.numbers_text(evidence)
    assert "2,472,816, 0.500" in patients.numbers_text(evidence)
    set_language("nl")
    assert "NaN, 0,694" in patients.numbers_text(evidence)
    assert "2.472.816, 0,500" in patients.numbers_text(evidence)
    assert patients.numbers_text(evidence).startswith(say("patient.epochs", epochs=2))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_show_patient_prints_the_numbers_and_draws_three_pictures(language, tmp_path, capsys):
    set_language(language)
    patients.show_patient("C", path=tmp_path)
    printed = capsys.readouterr().out
    assert say("patient.title", letter="C", seed=0) in printed
    assert say("patient.val_loss") in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C-confusion.png", "C-curves.png", "C-maps.png"]
    patients.show_patient("original", path=tmp_path)
    assert say("patient.original_title", letter="original", seed=0) in capsys.readouterr().out


def test_a_map_of_one_number_is_shown_as_that_number_never_as_empty():
    """After block 5 a map is 1 x 1: one value, which the empty-map test would always call empty."""
    from smiley_checks.training.data import training_data

    data = training_data()
    evidence = patients.load_patient("original")
    images = data.val.images[evidence["drawings"], :, :, 0]
    figure = patients.plot_maps(evidence, data.class_names, images)
    last = figure.axes[len(evidence["blocks"])]  # first row, last column
    assert [t.get_text() for t in last.texts] and last.get_xlabel() != say("diagnosis.picture.blank")
    empty_a = patients.plot_maps(patients.load_patient("A"), data.class_names, images)
    labels = [ax.get_xlabel() for ax in empty_a.axes]
    assert labels.count(say("diagnosis.picture.blank")) == 8  # blocks 1 to 4, both drawings


def test_a_loss_that_is_never_a_number_is_said_in_the_curves_not_left_as_an_empty_grid():
    from smiley_checks.training.plots import plot_curves

    figure = plot_curves({"loss": [float("nan")], "val_loss": [float("nan")], "accuracy": [0.46], "val_accuracy": [0.5]})
    loss_axis, accuracy_axis = figure.axes
    assert [t.get_text() for t in loss_axis.texts] == [say("assign.nan_short")]
    assert list(accuracy_axis.get_xticks()) == [1]  # one epoch, one whole-number tick
    normal = plot_curves({"loss": [0.7, 0.5], "val_loss": [0.6, 0.4], "accuracy": [0.6, 0.8], "val_accuracy": [0.7, 0.9]})
    assert len(normal.axes[0].texts) == 0 and list(normal.axes[0].get_xticks()) == [1, 2]
