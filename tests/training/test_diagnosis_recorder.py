"""The doctor watches real training: it must not change it, must not print, and must see real breaks."""

import pytest

from smiley_checks.network import build_original
from smiley_checks.training.diagnosis.breaks import by_name
from smiley_checks.training.diagnosis.rules import codes
from smiley_checks.training.protocol import GRADING, Protocol
from smiley_checks.training.trainer import FreshCopyTrainer

SHORT = Protocol("short", epochs=2, batch_size=16)
pytestmark = pytest.mark.slow


def test_a_seed_trains_to_the_same_numbers_with_or_without_the_doctor(data):
    plain = FreshCopyTrainer(build_original(), SHORT, data).run(1, verbose=0)
    watched = FreshCopyTrainer(build_original(), SHORT, data, diagnose=True).run(1, verbose=0)
    assert watched.accuracy == plain.accuracy
    assert watched.history == plain.history
    assert plain.signals is None and watched.signals is not None


def test_the_doctor_writes_nothing_on_stderr(data, capfd):
    # nbgrader gives 0 points to a test cell with anything on stderr.
    from smiley_checks.training.train import train

    capfd.readouterr()
    result = train(build_original(), protocol=SHORT, diagnose=True, data=data, verbose=0)
    result.plot_diagnosis()
    assert capfd.readouterr().err == ""
    assert result.view is not None and result.view.maps is not None


def one_epoch_trainer(keras, data, name: str) -> FreshCopyTrainer:
    protocol = GRADING.with_(give_up_after_epochs=1, stop_when_val_accuracy=None, epochs=1)
    return FreshCopyTrainer(by_name(name).build(keras), protocol, data, diagnose=True)


def trained(keras, data, name: str, seed: int = 0):
    return one_epoch_trainer(keras, data, name).run(seed, verbose=0)


def test_relu_in_the_last_layer_is_diagnosed_as_nan(keras, data):
    run = trained(keras, data, "final_relu")
    assert codes(run.signals) == ["nan_loss"]
    assert run.signals.nan_step >= 1


def test_a_first_filter_that_starts_at_zero_is_dead_and_blanks_everything_after_it(keras, data):
    run = trained(keras, data, "dead_first_filter")
    found = codes(run.signals)
    assert found[:2] == ["dead_filter", "blank_maps"]
    assert run.signals.layers[0].dead == [0]


def test_the_lessons_network_after_a_short_training_gets_no_nan_and_no_dead_first_filter(keras, data):
    run = trained(keras, data, "original")
    assert "nan_loss" not in codes(run.signals) and "dead_filter" not in codes(run.signals)


def test_an_empty_dense_layer_is_drawn_as_its_numbers_not_as_an_empty_picture(keras, data):
    from smiley_checks.training.train import train

    result = train(by_name("dense_only").build(keras), protocol=GRADING, diagnose=True, data=data, verbose=0)
    assert result.findings[0].code == "blank_maps" and result.findings[0].details["kind"] == "Dense"
    figure = result.plot_diagnosis()
    assert len(figure.axes) == 1 and figure.axes[0].images  # one grid of numbers, not a row of drawings


def test_batchnorm_in_training_mode_in_one_call_is_the_layers_own_training_mode_batch_by_batch(keras, data):
    import numpy as np

    trainer = FreshCopyTrainer(build_original(), SHORT, data, diagnose=True)
    trainer.run(1, verbose=0)
    recorder = trainer.recorder
    images = trainer.x_judge[np.random.default_rng(0).permutation(len(trainer.x_judge))[:40]]  # 16 + 16 + 8
    assert recorder._batchnorm_training_mode_accuracy(images, trainer.y_judge[:40].argmax(axis=1)) is not None
    batchnorm = keras.layers.BatchNormalization
    kept = [np.array(v.numpy()) for v in trainer.model.non_trainable_variables]

    def layers_own(batch):
        for layer in recorder.layers:
            batch = layer(batch, training=isinstance(layer, batchnorm))
        return np.asarray(batch)

    one_call = recorder.batchnorm_training_mode_outputs(images)
    batch_by_batch = np.concatenate([layers_own(images[start:start + 16]) for start in (0, 16, 32)])
    all_at_once = layers_own(images)  # one batch of 40: other statistics, so the comparison can tell
    for variable, value in zip(trainer.model.non_trainable_variables, kept):
        variable.assign(value)
    assert np.allclose(one_call, batch_by_batch, atol=1e-5)
    assert not np.allclose(all_at_once, batch_by_batch, atol=1e-5)


def test_the_maps_are_made_once_from_the_last_look_before_the_end_or_before_the_nan(keras, data):
    import numpy as np

    trainer = FreshCopyTrainer(build_original(), SHORT, data, diagnose=True)
    trainer.run(1, verbose=0)
    recorder = trainer.recorder
    assert all(np.array_equal(a, b) for a, b in zip(recorder.last_maps, recorder._maps()))
    # A NaN: the network is NaN now, the maps are those of the look before it (here: the start), not NaN.
    trainer = one_epoch_trainer(keras, data, "final_relu")
    run = trainer.run(0, verbose=0)
    recorder = trainer.recorder
    assert run.signals.nan_step is not None
    assert not np.isfinite(recorder._maps()[-1]).all()
    assert recorder.maps_before_nan is not None and all(np.isfinite(m).all() for m in recorder.maps_before_nan)
    assert not np.isfinite(trainer.model.weights[-1].numpy()).all()  # put back as it was after the look
