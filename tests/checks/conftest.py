import pytest

from smiley_checks.keras_env import keras  # quiet TensorFlow first
from smiley_checks.network import IMAGE_SHAPE, original_layers


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture
def lesson_model():
    """lesson_model(edit) -> the original network after `edit(layers)` changed its layer list."""

    def make(edit=None, shape=IMAGE_SHAPE):
        layers = original_layers(keras)
        if edit:
            layers = edit(layers) or layers
        return keras.Sequential([keras.Input(shape=shape), *layers])

    return make


@pytest.fixture
def solution_of():
    """Run a task's solution code and return what it assigns to the task's variable."""

    def run(problem):
        namespace = {"keras": keras}
        exec(problem.solution, namespace)
        return namespace[problem.variable]

    return run
