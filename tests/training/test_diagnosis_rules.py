"""Every diagnosis fires on signals made to show it, and stays quiet on a healthy run's signals."""

import pytest

from smiley_checks.training.diagnosis.rules import ORDER, calibrated_thresholds, codes, diagnose
from smiley_checks.training.diagnosis.signals import LayerSignals, Signals


def healthy() -> Signals:
    layers = [LayerSignals("conv2d", "Conv2D", 0.0, 4, [], 1.01), LayerSignals("pool", "MaxPooling2D", 0.0, 4, [], 1.05),
              LayerSignals("dense", "Dense", 0.0, 16, [3], 2.0), LayerSignals("out", "Dense", 0.0, 2, [], 6.0)]
    return Signals(majority_share=0.52, sure_and_wrong_share=0.0, train_accuracy=0.93, judged_accuracy=0.94,
                   train_mode_accuracy=0.92, gradient_ratio=1.5, gradient_norms=[2.0, 1.6, 1.3], layers=layers)


def test_a_healthy_run_gets_no_diagnosis():
    assert codes(healthy()) == []


def sick(code: str) -> Signals:
    s = healthy()
    if code == "nan_loss":
        s.nan_step = 2
    elif code == "dead_filter":
        s.layers[0].dead = [0, 1, 2, 3]
    elif code == "blank_maps":
        s.layers[1].blank_share = 1.0
    elif code == "vanishing_gradients":
        s.gradient_ratio = 1e-6
    elif code == "exploding_gradients":
        s.gradient_norms = [2.0e6, 1.5e6, 3.0e5]  # huge in every layer: the ratio stays near 1
    elif code == "one_answer":
        s.majority_share = 1.0
    elif code == "classes_alike":
        s.layers[2].separation = 0.99
    elif code == "batchnorm_gap":
        s.train_mode_accuracy = 0.5
    elif code == "overfitting":
        s.train_accuracy, s.judged_accuracy, s.train_mode_accuracy = 1.0, 0.55, 0.55
    elif code == "overconfident":
        s.sure_and_wrong_share = 0.45
    return s


@pytest.mark.parametrize("code", ORDER)
def test_each_diagnosis_fires_on_its_own_symptom(code):
    assert code in codes(sick(code))


def test_a_nan_explains_everything_after_it():
    s = sick("nan_loss")
    s.majority_share = 1.0
    assert codes(s) == ["nan_loss"]


def test_the_main_diagnosis_comes_first():
    s = sick("one_answer")
    s.layers[1].blank_share = 1.0
    found = diagnose(s)
    assert [f.code for f in found][:2] == ["blank_maps", "one_answer"]
    assert found[0].details["layer"] == 2 and found[0].details["kind"] == "MaxPooling2D"


def test_the_shipped_thresholds_cover_every_diagnosis_with_a_threshold():
    assert set(calibrated_thresholds()) == set(ORDER) - {"nan_loss"}


def test_a_gap_that_batchnormalization_explains_is_not_called_overfitting():
    # Training 0.97, new drawings 0.55, but 0.96 with batch statistics: the running averages, not memorising.
    s = healthy()
    s.train_accuracy, s.judged_accuracy, s.train_mode_accuracy = 0.97, 0.55, 0.96
    assert "batchnorm_gap" in codes(s) and "overfitting" not in codes(s)
    # The same gap where BatchNormalization's training mode does no better: memorising.
    s.train_mode_accuracy = 0.56
    assert "batchnorm_gap" not in codes(s) and "overfitting" in codes(s)
