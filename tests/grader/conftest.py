import pytest


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture(scope="session")
def keras():
    from smiley_checks.keras_env import keras

    return keras
