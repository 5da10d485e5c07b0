import pytest


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture
def lesson_model():
    from smiley_checks.keras_env import keras
    from smiley_checks.network import IMAGE_SHAPE, original_layers

    return lambda: keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *original_layers(keras)])
