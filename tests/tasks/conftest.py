import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Every test in this folder runs in English. (`english`, like `keras`, is in tests/conftest.py.)"""


@pytest.fixture
def lesson_model(keras):
    """lesson_model(edit) -> the original network after `edit(layers)` changed its layer list."""
    from smiley_checks.network import IMAGE_SHAPE, original_layers

    def make(edit=None):
        layers = original_layers(keras)
        if edit:
            layers = edit(layers) or layers
        return keras.Sequential([keras.Input(shape=IMAGE_SHAPE), *layers])

    return make
