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
