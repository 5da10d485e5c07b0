"""Shared fixtures. Tests mirror the package: tests/<subpackage>/test_<module>.py."""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SMILEY_CHECKS_LANG", "en")

TINY_SIZES = {"train": 6, "val": 3, "heldout": 4}
# The browser tests (tests/browser, tests/installed) drive Debian's Chromium: Playwright cannot
# download its own browsers here, and without these flags Chromium floods the closed network.
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory):
    """A small generated dataset (all three classes) for tests that only need the format."""
    from smiley_checks.dataset.build import generate_dataset

    return generate_dataset(tmp_path_factory.mktemp("smileys"), seed=7, sizes=TINY_SIZES)


@pytest.fixture
def english():
    from smiley_checks.messages import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def keras():
    from smiley_checks.keras_env import keras

    return keras


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


def chromium_path() -> str:
    for candidate in [os.environ.get("SMILEY_CHROMIUM", ""), *CHROMIUM_CANDIDATES]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("The browser tests need Debian's Chromium at /usr/bin/chromium and it is missing. "
                "Install it with `apt-get install -y chromium` (`make venv` does this), "
                "or point SMILEY_CHROMIUM at a Chromium binary.", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; fails (does not skip) when it is missing."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The browser tests need Python's playwright (in requirements.lock): run `make venv`.",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
