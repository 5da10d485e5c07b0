"""The original network trains on an imported synthetic class to the same verdict as on the shipped set.

A class's worth of sheets (18 full sheets per emotion, about the shipped set's
430 drawings per class) is drawn with our generator, photographed (each photo
with its own angle, light and blur), imported with the sheets import, and the
grading verdict is given with SMILEY_CHECKS_DATA pointing at the folder. As a
counter-case, the network without Conv2D trained on the same folder must not
be judged reliable: a folder that anything learns from would prove nothing.
"""

import time

import pytest
from sheet_photos import photograph_class

from smiley_checks.dataset.layout import SHIPPED_DIR
from smiley_checks.network import build_original
from smiley_checks.sheets.importing import import_photos
from smiley_checks.training.data import training_data
from smiley_checks.training.protocol import GRADING
from smiley_checks.training.reliability import RELIABLE, reliability
from smiley_checks.variants import build_variant

pytestmark = pytest.mark.slow

SHEETS_PER_EMOTION = 18
SEEDS = 5


@pytest.fixture(scope="module")
def imported_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class-3b")
    started = time.perf_counter()
    for label, first_seed in (("happy", 1000), ("surprised", 2000)):  # seeds the other sheet tests do not use
        photos = photograph_class(root / "photos" / label, label, SHEETS_PER_EMOTION, first_seed)
        results = import_photos(photos, label, root / "drawings")
        assert all(result.ok and result.drawings == 24 for result in results), [r.problem for r in results]
    print(f"\n{2 * SHEETS_PER_EMOTION} photos made and imported in {time.perf_counter() - started:.0f} s")
    return root / "drawings"


def test_the_original_gets_the_same_verdict_on_imported_drawings_as_on_shipped(imported_class, monkeypatch,
                                                                              record_property):
    monkeypatch.setenv("SMILEY_CHECKS_DATA", str(imported_class))  # the one setting a teacher uses
    data = training_data()
    assert [len(data.train), len(data.val), len(data.heldout)] == [2 * 312, 2 * 24, 2 * 96]
    imported = reliability(lambda: build_original(), seeds=SEEDS)
    shipped = reliability(lambda: build_original(), seeds=SEEDS, data=training_data(root=SHIPPED_DIR))
    for name, verdict in (("imported", imported), ("shipped", shipped)):
        record_property(f"{name}_accuracies", verdict.accuracies)
        print(f"original on the {name} set: {verdict.accuracies} -> {verdict.verdict} ({verdict.seconds:.0f} s)")
    assert imported.verdict == shipped.verdict == RELIABLE, (imported, shipped)


def test_a_network_without_conv2d_is_not_judged_reliable_on_the_imported_class(imported_class, record_property):
    verdict = reliability(lambda: build_variant("no_conv2d"), seeds=SEEDS, data=training_data(root=imported_class))
    record_property("no_conv2d_accuracies", verdict.accuracies)
    print(f"no_conv2d on the imported set: {verdict.accuracies} -> {verdict.verdict} ({verdict.seconds:.0f} s)")
    assert verdict.verdict != RELIABLE, verdict
    assert max(verdict.accuracies) < GRADING.pass_accuracy
