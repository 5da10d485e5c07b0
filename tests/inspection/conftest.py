"""Small Keras models for the inspection tests, from both `tensorflow.keras` and `keras`."""

import pytest

from smiley_checks.keras_env import keras as lesson_keras  # quiet TensorFlow before anything imports it
from smiley_checks.network import IMAGE_SHAPE, compile_like_lesson, original_layers


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture(params=["from tensorflow import keras", "import keras"])
def keras(request):
    """Both ways students import Keras."""
    if request.param == "import keras":
        import keras as module
    else:
        from tensorflow import keras as module
    return module


def make_model(keras, layers=None, *, kind="sequential", shape=IMAGE_SHAPE, compiled=False):
    """A model from `layers` (default: the original network's layers), Sequential or Functional."""
    layers = original_layers(keras) if layers is None else layers
    if kind == "sequential":
        model = keras.Sequential([keras.Input(shape=shape), *layers])
    else:
        inputs = keras.Input(shape=shape)
        x = inputs
        for layer in layers:
            x = layer(x)
        model = keras.Model(inputs, x)
    if compiled:
        compile_like_lesson(model)
    return model


@pytest.fixture
def build(keras):
    def build(layers=None, **kwargs):
        return make_model(keras, layers, **kwargs)

    return build


@pytest.fixture
def lesson():
    """Fresh layers of the original network (one Keras only: these tests are about structure)."""
    return lambda: original_layers(lesson_keras)


@pytest.fixture
def model_of():
    return lambda layers=None, **kwargs: make_model(lesson_keras, layers, **kwargs)
