import warnings

import numpy as np
import pytest

from smiley_checks.training.batchnorm import BatchNormRecalibrator


def _layers(keras):
    return [keras.layers.Conv2D(2, 3, activation="relu"), keras.layers.BatchNormalization(),
            keras.layers.MaxPooling2D(), keras.layers.Conv2D(3, 3, activation="relu"),
            keras.layers.BatchNormalization(), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")]


def _sequential(keras):
    return keras.Sequential([keras.layers.InputLayer(shape=(12, 12, 1)), *_layers(keras)])


def _functional(keras):
    inputs = keras.Input(shape=(12, 12, 1))
    x = inputs
    for layer in _layers(keras):
        x = layer(x)
    return keras.Model(inputs, x)


def _inputs_of_each_batchnorm(keras, model, images):
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    return [keras.Model(model.inputs, layer.input).predict(images, verbose=0) for layer in norms], norms


@pytest.mark.parametrize("build", [_sequential, _functional])
def test_statistics_become_those_of_the_images(keras, build):
    keras.utils.set_random_seed(1)
    model = build(keras)
    images = np.random.default_rng(0).integers(0, 2, (40, 12, 12, 1)).astype(np.float32) * 255
    trained = [np.array(w) for layer in model.layers for w in layer.trainable_weights]

    assert BatchNormRecalibrator(keras, model, images).recalibrate()

    # Inputs are computed after the fact, with every layer already recalibrated: the second
    # layer's statistics are only right if the first was set before measuring the second.
    features, norms = _inputs_of_each_batchnorm(keras, model, images)
    for layer, x in zip(norms, features):
        np.testing.assert_allclose(layer.moving_mean.numpy(), x.mean(axis=(0, 1, 2)), rtol=1e-4, atol=1e-3)
        np.testing.assert_allclose(layer.moving_variance.numpy(), x.var(axis=(0, 1, 2)), rtol=1e-3, atol=1e-3)
    # Fresh layers start at mean 0, variance 1: far from images in 0..255, so the check above can fail.
    assert norms[0].moving_mean.numpy().max() > 1.0
    # Only the running statistics change, never a trained weight.
    after = [np.array(w) for layer in model.layers for w in layer.trainable_weights]
    assert all(np.array_equal(a, b) for a, b in zip(trained, after))


def test_a_model_without_batchnorm_is_left_alone(keras):
    model = keras.Sequential([keras.layers.InputLayer(shape=(12, 12, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    assert not BatchNormRecalibrator(keras, model, np.zeros((4, 12, 12, 1), np.float32)).recalibrate()


def test_a_network_that_blew_up_is_recalibrated_silently(keras):
    # numpy's overflow warnings would reach a notebook cell's stderr and cost it its points.
    model = _sequential(keras)
    huge = np.full((4, 12, 12, 1), 3e38, np.float32)  # activations overflow to inf
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        BatchNormRecalibrator(keras, model, huge).recalibrate()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], caught
