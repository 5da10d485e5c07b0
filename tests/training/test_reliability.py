import pytest

from smiley_checks.errors import SubmissionError
from smiley_checks.training.protocol import GRADING
from smiley_checks.training.reliability import BROKEN, RELIABLE, UNRELIABLE, judge, reliability
from smiley_checks.variants import build_variant


def test_judge_thresholds():
    assert judge([0.99, 0.95, 0.9], GRADING) == RELIABLE
    assert judge([0.99, 0.55, 0.9], GRADING) == UNRELIABLE
    assert judge([0.5, 0.55, 0.6], GRADING) == BROKEN
    assert judge([0.5, 0.55, GRADING.chance_accuracy], GRADING) == UNRELIABLE


@pytest.mark.slow
def test_original_is_reliable_and_reproducible():
    first = reliability(lambda: build_variant("original"), seeds=5)
    assert first.verdict == RELIABLE, first
    again = reliability(build_variant("original"), seeds=[3, 4])
    assert again.accuracies == first.accuracies[3:]


@pytest.mark.slow
def test_without_conv2d_it_is_not_reliable():
    verdict = reliability(lambda: build_variant("no_conv2d"), seeds=5)
    assert verdict.verdict != RELIABLE, verdict
    assert max(verdict.accuracies) < GRADING.pass_accuracy


def test_a_giant_model_is_refused_before_training(keras):
    def giant():  # about 100 million parameters
        return keras.Sequential([keras.layers.InputLayer(shape=(110, 110, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(8300), keras.layers.Dense(2, activation="softmax")])

    with pytest.raises(SubmissionError, match="100,454,902 parameters"):
        reliability(giant, seeds=5)


def test_a_wrong_submission_is_refused_with_one_sentence():
    with pytest.raises(SubmissionError) as caught:
        reliability(None)
    assert "\n" not in str(caught.value)


@pytest.mark.slow
def test_a_network_two_students_share_is_trained_once(monkeypatch, data, tmp_path):
    """dense_only trains in about a second per seed; two seeds keep this short."""
    from smiley_checks.training import trainer
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret

    trained = []
    real_run = trainer.FreshCopyTrainer.run
    monkeypatch.setattr(trainer.FreshCopyTrainer, "run", lambda self, seed, **kw: trained.append(seed) or real_run(self, seed, **kw))
    cache = VerdictCache(tmp_path, new_secret())
    first = reliability(build_variant("dense_only"), seeds=2, data=data, cache=cache)
    second = reliability(build_variant("dense_only"), seeds=2, data=data, cache=cache)  # another student's copy
    assert trained == [0, 1]
    assert (first.reused, second.reused) == (0, 2)
    without = reliability(build_variant("dense_only"), seeds=2, data=data)
    assert trained == [0, 1, 0, 1]
    for verdict in (first, second):
        assert (verdict.verdict, verdict.accuracies, verdict.seeds) == (without.verdict, without.accuracies, without.seeds)
        # The epochs each seed ran come along too, from the cache as from a training (the notebook prints them).
        assert verdict.epochs_per_seed == without.epochs_per_seed and all(e >= 1 for e in without.epochs_per_seed)
    # Another seed is not in the cache.
    reliability(build_variant("dense_only"), seeds=[2], data=data, cache=cache)
    assert trained[-1] == 2


@pytest.mark.slow
def test_the_doctors_picture_of_each_main_diagnosis_comes_with_the_verdict_and_from_the_cache(data, tmp_path):
    """relu in the last layer: the loss is NaN at once (about a second per seed). The picture of the NaN
    is drawn once, while the network is still there, and a classmate's cached verdict has it too."""
    import base64

    from smiley_checks.training.diagnosis.summary import main_codes
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret

    cache = VerdictCache(tmp_path, new_secret())
    first = reliability(build_variant("final_relu"), seeds=2, data=data, cache=cache, diagnose=True, pictures=True)
    assert set(main_codes(first.findings_per_seed)) == {"nan_loss"} and set(first.pictures) == {"nan_loss"}
    assert base64.b64decode(first.pictures["nan_loss"]).startswith(b"\x89PNG")
    assert len(list(tmp_path.glob("*.json"))) == 3  # two tries, one picture: the second NaN is not drawn
    second = reliability(build_variant("final_relu"), seeds=2, data=data, cache=cache, diagnose=True, pictures=True)
    assert second.reused == 2 and second.pictures == first.pictures
    assert reliability(build_variant("final_relu"), seeds=1, data=data, diagnose=True).pictures == {}  # not asked
