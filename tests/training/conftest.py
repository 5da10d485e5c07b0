import pytest


@pytest.fixture(scope="session")
def data():
    from smiley_checks.training.data import training_data

    return training_data()
