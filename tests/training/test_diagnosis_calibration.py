"""The thresholds that ship, and the table in docs/, are exactly what the stored labelled runs give.

Neither may be edited by hand: a threshold moved to make a figure look better fails here. When the
drawings change, tests/test_measurement_freshness.py fails on docs/calibration/diagnosis.md and on
thresholds.json until `tools/calibrate_diagnoses.py measure` and `choose` have run again.
"""

import json
import re

import pytest

from smiley_checks.dataset.layout import REPO_ROOT
from smiley_checks.training.diagnosis.breaks import BREAKS
from smiley_checks.training.diagnosis.calibration import choose, read_runs, score, table
from smiley_checks.training.diagnosis.rules import calibrated_thresholds
from smiley_checks.training.diagnosis.signals import Signals

RUNS = REPO_ROOT / "docs" / "diagnosis" / "runs.jsonl"
TABLE = REPO_ROOT / "docs" / "calibration" / "diagnosis.md"
THRESHOLDS = REPO_ROOT / "smiley_checks" / "training" / "diagnosis" / "thresholds.json"


def test_every_labelled_break_was_measured_on_every_seed_fresh_ones_too():
    measured = {(r.name, r.seed) for r in read_runs(RUNS)}
    assert {(b.name, s) for b in BREAKS for s in range(b.seeds + b.fresh_seeds)} <= measured


def test_the_shipped_thresholds_are_the_ones_the_runs_give():
    assert calibrated_thresholds() == choose(read_runs(RUNS))


def test_the_table_in_docs_is_the_one_the_runs_give():
    record = json.loads(THRESHOLDS.read_text())["provenance"]
    from smiley_checks.provenance import markdown_line

    assert TABLE.read_text() == table(read_runs(RUNS), calibrated_thresholds(), markdown_line(record))


def test_a_diagnosis_that_fires_where_it_should_not_counts_as_a_false_alarm():
    from smiley_checks.training.diagnosis.calibration import Run

    quiet, loud = Signals(majority_share=0.5), Signals(majority_share=1.0)
    runs = [Run("original", 0, 0.95, loud), Run("no_conv2d", 0, 0.5, quiet), Run("no_conv2d", 1, 0.5, loud)]
    s = score(runs, "one_answer", dict(calibrated_thresholds()))
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 1)


def test_the_originals_typical_gradient_that_sentences_quote_is_the_one_the_runs_give():
    from smiley_checks.training.diagnosis.calibration import original_largest_gradient
    from smiley_checks.training.diagnosis.rules import original_largest_gradient as shipped

    assert shipped() == original_largest_gradient(read_runs(RUNS))


def _close(measured, stored, path="signals"):
    """The same signals, floats to 5 significant digits (one JSON round trip, one float32 sum order)."""
    import math

    if isinstance(stored, dict):
        assert measured.keys() == stored.keys(), path
        for key in stored:
            _close(measured[key], stored[key], f"{path}.{key}")
    elif isinstance(stored, list):
        assert len(measured) == len(stored), path
        for index, (m, s) in enumerate(zip(measured, stored)):
            _close(m, s, f"{path}[{index}]")
    elif isinstance(stored, float) and isinstance(measured, float):
        assert math.isclose(measured, stored, rel_tol=1e-5, abs_tol=1e-9), (path, measured, stored)
    elif isinstance(stored, str):  # a layer's name: Keras numbers them by what the process built before
        assert re.sub(r"_\d+$", "", measured) == re.sub(r"_\d+$", "", stored), (path, measured, stored)
    else:
        assert measured == stored, (path, measured, stored)


@pytest.mark.slow
def test_the_recorder_still_measures_what_the_stored_runs_say(keras, data):
    # The thresholds were chosen on runs.jsonl: a change to how the doctor measures (not only to the
    # drawings) must show here. A seed of the slow-averages break, where BatchNormalization's two modes
    # differ most (0.85 judged, 0.955 in training mode).
    from smiley_checks.training.diagnosis.breaks import by_name
    from smiley_checks.training.trainer import FreshCopyTrainer

    labelled = by_name("slow_running_averages")
    stored = next(json.loads(line) for line in RUNS.read_text().splitlines()
                  if json.loads(line)["break"] == labelled.name and json.loads(line)["seed"] == 0)
    trainer = FreshCopyTrainer(labelled.build(keras), labelled.protocol, data, judge_on="heldout", diagnose=True)
    run = trainer.run(0, verbose=0)
    assert run.accuracy == stored["accuracy"] and run.epochs == stored["epochs"]
    _close(run.signals.to_json(), stored["signals"])
    assert stored["signals"]["train_mode_accuracy"] - stored["signals"]["judged_accuracy"] >= 0.1


def test_the_threshold_sits_in_the_middle_of_the_widest_stretch_that_does_best():
    from smiley_checks.training.diagnosis.calibration import _widest_middle

    values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]
    assert _widest_middle(values, [True, False, True, True, True, False, True]) == 0.4
    assert _widest_middle(values, [False, True, True, False, False, False, False]) == 0.25  # between two points
    assert _widest_middle(values, [False] * 6 + [True]) == 0.7


def test_the_grid_runs_from_the_loosest_candidate_to_the_strictest_by_ratio_over_powers_of_ten():
    from smiley_checks.training.diagnosis.calibration import grid

    linear = grid([0.1, 0.2, 0.4], points=5)
    assert linear == pytest.approx([0.1, 0.175, 0.25, 0.325, 0.4])
    by_ratio = grid([0.1, 0.001], points=3)
    assert by_ratio == pytest.approx([0.1, 0.01, 0.001])


def test_a_threshold_is_chosen_as_far_as_it_can_be_from_the_runs_on_either_side():
    # Overfitting gaps 0.14 (the original: it must not fire) and 0.22 / 0.3 (where it must): the middle
    # of the candidates (0.2) would sit 0.02 from a case, the widest margin puts it near 0.18.
    from smiley_checks.training.diagnosis.calibration import Run, choose

    def run(name, seed, gap):
        return Run(name, seed, 0.8, Signals(train_accuracy=0.8 + gap, judged_accuracy=0.8))

    runs = [run("few_drawings", 0, 0.22), run("few_drawings", 1, 0.30), run("original", 0, 0.14)]
    assert choose(runs)["overfitting"] == pytest.approx(0.18, abs=0.005)
