import numpy as np
import pytest

from smiley_checks.errors import SubmissionError
from smiley_checks.network import build_original
from smiley_checks.training.protocol import Protocol
from smiley_checks.training.trainer import FreshCopyTrainer

SHORT = Protocol("short", epochs=2, batch_size=16)
pytestmark = pytest.mark.slow


def test_same_seed_same_result_whatever_ran_before(data):
    first = FreshCopyTrainer(build_original(), SHORT, data)
    a = [first.run(seed, verbose=0) for seed in (1, 2)]
    second = FreshCopyTrainer(build_original(), SHORT, data)
    b = second.run(2, verbose=0)
    assert a[1].accuracy == b.accuracy
    assert a[1].history == b.history
    # and different seeds really train differently
    assert a[0].history["loss"] != a[1].history["loss"]


def test_the_students_model_is_left_untouched(data):
    model = build_original()
    before = [np.array(w) for w in model.get_weights()]
    FreshCopyTrainer(model, SHORT, data).run(0, verbose=0)
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert model.optimizer.iterations.numpy() == 0


def test_students_optimizer_is_kept_and_uncompiled_gets_adam(keras, data):
    model = build_original(compiled=False)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="categorical_crossentropy")
    trainer = FreshCopyTrainer(model, SHORT.with_(learning_rate_scale=2.0), data)
    assert type(trainer.model.optimizer).__name__ == "SGD"
    assert float(trainer.model.optimizer.learning_rate.numpy()) == pytest.approx(0.1)
    uncompiled = FreshCopyTrainer(build_original(compiled=False), SHORT, data)
    assert type(uncompiled.model.optimizer).__name__ == "Adam"
    assert uncompiled.model.loss == "categorical_crossentropy"


def test_zero_learning_rate_learns_nothing(keras, data):
    # A check that cannot fail is worthless: a frozen network must not score like a trained one.
    model = build_original(compiled=False)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.0), loss="categorical_crossentropy")
    run = FreshCopyTrainer(model, SHORT, data).run(0, verbose=0)
    assert run.accuracy <= 0.75


def test_a_model_that_fails_while_training_gives_one_sentence(keras, data):
    model = build_original(compiled=False)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # wants class numbers, gets one-hot
    with pytest.raises(SubmissionError) as caught:
        FreshCopyTrainer(model, SHORT, data).run(0, verbose=0)
    assert str(caught.value).startswith("Training your model stopped with an error (")
    assert "\n" not in str(caught.value)


def test_batchnorm_is_recalibrated_once_per_judgement_after_training(data):
    # Once after each epoch (for the validation check); the held-out score reuses the last one,
    # and a new seed (fresh weights) is recalibrated again.
    trainer = FreshCopyTrainer(build_original(), SHORT.with_(recalibrate_batchnorm=True), data)
    calls = []
    recalibrate = trainer.recalibrator.recalibrate
    trainer.recalibrator.recalibrate = lambda: calls.append(1) or recalibrate()
    first = trainer.run(0, verbose=0)
    assert len(calls) == first.epochs == 2
    trainer.run(1, verbose=0)
    assert len(calls) == 4
    # Judging without training in between needs no new statistics; after training it does.
    trainer.accuracy_on(trainer.x_val, trainer.y_val)
    assert len(calls) == 4
