import pytest


@pytest.fixture(scope="session")
def data():
    from smiley_checks.training.data import training_data

    return training_data()


@pytest.fixture(scope="session")
def keras():
    from smiley_checks.keras_env import keras

    return keras
