"""What a hidden test cell does in the kernel: hand the answer in as a record, judge nothing."""

import pytest

from smiley_checks.tasks.hand_in import HIDDEN_INPUTS_ENV, hand_in
from smiley_checks.tasks.records import NotYet


def test_a_failure_is_an_assertion_error_shown_as_one_line():
    error = NotYet("Your model still has BatchNormalization layers (5 left).")
    assert isinstance(error, AssertionError) and type(error).__name__ == "AssertionError"
    assert error._render_traceback_() == [
        "\x1b[0;31mAssertionError\x1b[0m: Your model still has BatchNormalization layers (5 left)."]


def test_without_the_graders_inputs_there_is_nothing_to_hand_in(monkeypatch):
    monkeypatch.delenv(HIDDEN_INPUTS_ENV, raising=False)
    with pytest.raises(AssertionError, match="only when your teacher grades"):
        hand_in("normalise", lambda values: values)


def test_the_graders_inputs_reach_the_function_as_written(monkeypatch):
    monkeypatch.setenv(HIDDEN_INPUTS_ENV, repr({"output_shape_demo": (), "shapes_other": (("Dense", (30,), 2),)}))
    seen = []
    record = hand_in("shapes_other", lambda layer, shape, count=None: seen.append(shape) or (count,))
    assert seen == [(30,)] and isinstance(seen[0], tuple)  # tuples stay tuples
    assert record == {"task": "shapes_other", "calls": [{"args": ["Dense", [30], 2], "result": [2]}]}


def test_a_record_judges_nothing_a_wrong_answer_is_handed_in_all_the_same(monkeypatch):
    monkeypatch.setenv(HIDDEN_INPUTS_ENV, repr({"dense_params": ((10, 3),)}))
    record = hand_in("dense_params", lambda inputs, units: -1)
    assert record["calls"][0]["result"] == -1


def test_set_and_model_answers_need_no_hidden_inputs(monkeypatch):
    monkeypatch.delenv(HIDDEN_INPUTS_ENV, raising=False)
    assert hand_in("never_remove", {"Dense"}) == {"task": "never_remove", "value": {"set": ["Dense"]}}
    assert hand_in("smallest_break", None) == {"task": "smallest_break", "not_attempted": True}
