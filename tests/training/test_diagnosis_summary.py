"""The doctor's word on a whole verdict (diagnosis/summary.py): the one diagnosis the report groups by."""

from smiley_checks.training.diagnosis.summary import main_diagnosis


def _tries(*codes):
    return [[{"code": code, "details": {}}] if code else [] for code in codes]


def test_the_verdicts_diagnosis_is_the_one_most_tries_got():
    assert main_diagnosis(_tries("one_answer", None, "nan_loss", "one_answer", None)) == "one_answer"


def test_a_tie_goes_to_the_diagnosis_the_doctor_puts_first():
    assert main_diagnosis(_tries("one_answer", "nan_loss", None)) == "nan_loss"
    assert main_diagnosis(_tries("overfitting", "dead_filter")) == "dead_filter"


def test_no_diagnosis_in_any_try_is_none():
    assert main_diagnosis(_tries(None, None, None)) == "" and main_diagnosis([]) == ""
