"""The thresholds that ship, and the table in docs/, are exactly what the stored labelled runs give.

Neither may be edited by hand: a threshold moved to make a figure look better fails here. When the
drawings change, tests/test_measurement_freshness.py fails on docs/calibration/diagnosis.md and on
thresholds.json until `tools/calibrate_diagnoses.py measure` and `choose` have run again.
"""

import json

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
