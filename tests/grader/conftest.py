import pytest


@pytest.fixture(autouse=True)
def _english(english):
    yield


@pytest.fixture
def solutions():
    """The teacher's answers of the `layers` notebook, run from the source notebook itself."""
    import nbformat

    from smiley_checks.dataset.layout import REPO_ROOT

    nb = nbformat.read(REPO_ROOT / "source" / "layers" / "layers.ipynb", as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code":
            exec(cell.source, namespace)
    return namespace


@pytest.fixture(scope="session")
def keras():
    from smiley_checks.keras_env import keras

    return keras
