"""What a student reads around a training: a blown-up run, the verdict as a cell's last line,
plots and class names in the notebook's language, the pooling picture."""

import numpy as np
import pytest

from smiley_checks.messages import say, set_language
from smiley_checks.training.blowup import seed_line, trained_once_text
from smiley_checks.training.pooling_view import pooled
from smiley_checks.training.reliability import Verdict


@pytest.fixture
def dutch():
    set_language("nl")
    yield
    set_language("en")


def test_a_nan_run_says_the_training_blew_up_not_accuracy_zero(english):
    assert seed_line(3, 0.0, 1.25, 1) == say("assign.seed_blew_up", seed=3, epochs=1, seconds="1.2")
    assert "blew up" in seed_line(3, 0.0, 1.25, 1)
    assert "0.00" not in seed_line(3, 0.0, 1.25, 1) and "0.00" not in trained_once_text(0.0, 12)
    assert seed_line(3, 0.5, 9.0, 3) == say("cli.reliability.seed_line", seed=3, accuracy="0.50", epochs=3, seconds="9.0",
                                            per_epoch="3.0")
    assert trained_once_text(0.91, 12.2) == say("assign.trained_once", accuracy="0.91", seconds="12")


def test_a_verdict_line_shows_the_epochs_and_seconds_per_epoch_its_text_asks_about(english):
    """The notebook asks students to compare the seconds per epoch: every seed's line prints them."""
    line = seed_line(0, 0.91, 12.6, 4)
    assert "after 4 epochs" in line and "3.1 s per epoch" in line and "12.6 s" in line


def test_dutch_numbers_have_a_decimal_comma(dutch):
    assert seed_line(0, 0.91, 12.6, 4) == "seed 0: juistheid op nieuwe tekeningen 0,91 na 4 epochs (12,6 s, 3,1 s per epoch)"
    assert "0,50" in trained_once_text(0.5, 12)


def test_a_verdict_as_last_line_of_a_cell_shows_no_raw_repr():
    from IPython.core.formatters import DisplayFormatter

    verdict = Verdict("reliable", [0.9], [1.0], [0], "grading", 1.0, epochs_per_seed=[3])
    assert DisplayFormatter().format(verdict) == ({}, {})
    assert "Verdict(" in repr(verdict)  # still there for a programmer who asks for it


def test_plots_speak_dutch_with_the_lessons_class_names(dutch):
    from smiley_checks.training.plots import plot_confusion_matrix, plot_curves

    fig = plot_confusion_matrix(np.array([0, 1, 1]), np.array([0, 1, 0]), ("happy", "surprised"))
    axis = fig.axes[0]
    assert [t.get_text() for t in axis.get_xticklabels()] == ["blij", "verbaasd"]
    assert (axis.get_xlabel(), axis.get_ylabel(), axis.get_title()) == ("het netwerk zegt", "de tekening is",
                                                                         "verwarringsmatrix")
    curves = plot_curves({"loss": [1.0, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8]})
    assert curves.axes[1].get_title() == "juistheid (hoger is beter)"
    assert [t.get_text() for t in curves.axes[0].get_legend().get_texts()] == ["training", "validatie"]


def test_plots_stay_english_in_english(english):
    from smiley_checks.training.plots import plot_confusion_matrix

    fig = plot_confusion_matrix(np.array([0, 1]), np.array([0, 1]), ("happy", "surprised"))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["happy", "surprised"]


def test_pooling_keeps_the_paper():
    image = np.full((6, 6), 255.0)
    image[1:3, 1:3] = 0  # a 2x2 ink block, split over four pooling blocks
    steps = pooled(image, 2)
    assert [s.shape for s in steps] == [(6, 6), (3, 3), (1, 1)]
    assert (steps[1] == 255).all()  # every block has paper in it: the ink is gone after one pooling
    image[2:4, 2:4] = 0  # now one pooling block is all ink: it stays
    assert pooled(image, 1)[1][1, 1] == 0


def test_the_graders_verdict_lists_a_blown_up_run_as_nan(english):
    from smiley_checks.tasks.break_model import verdict_text

    text = verdict_text(Verdict("broken", [0.0, 0.5], [1.0, 1.0], [0, 1], "grading", 2.0))
    assert say("assign.verdict.accuracies", accuracies="NaN (blew up), 0.50") in text and "0.00" not in text
