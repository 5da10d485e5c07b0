import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """Every test in this folder runs in English. (`english`, like `keras`, is in tests/conftest.py.)"""
