"""Every figure in docs/measurements/ and docs/calibration/ was measured on the drawings that ship.

Each figure file names the drawings it was measured on (the sha256 of data/smileys/MANIFEST.sha256,
smiley_checks.provenance). When the drawings change, this test fails until everything is measured
again; RE_MEASURE says how.
"""

import json

import pytest

from smiley_checks.dataset.layout import MANIFEST, REPO_ROOT, SHIPPED_DIR
from smiley_checks.provenance import MARK, manifest_hash, markdown_line, provenance, stale, stored_hashes

FIGURE_FILES = sorted([p for folder in ("measurements", "calibration") for p in (REPO_ROOT / "docs" / folder).iterdir()
                       if p.suffix in (".json", ".md")]
                      + [REPO_ROOT / "smiley_checks" / "training" / "diagnosis" / "thresholds.json"])
RE_MEASURE = """\
These figures were measured on other drawings than data/smileys/ (its MANIFEST.sha256 changed):
{problems}
Measure again (2 cores; about an hour in all, more on a busy machine):
    .venv/bin/python tools/measure_answers.py --seeds 10        # docs/measurements/: about 30 min
    .venv/bin/smiley-checks calibrate --seeds 20 --many-seeds 100 --out docs/calibration   # about 25 min
(on 2026-12-04, on a shared 2-core machine: 19 min for the measurements, 1745 s for the calibration; calibrate writes calibration.png next to calibration.md: move it to docs/img/)
    .venv/bin/python tools/calibrate_diagnoses.py measure && .venv/bin/python tools/calibrate_diagnoses.py choose
    (the doctor's thresholds and docs/calibration/diagnosis.md: about 45 min)
then rewrite what the new figures no longer support: the model answers in templates/break_the_model.md,
docs/handleiding-leerkracht.md, docs/teacher-guide.md, docs/protocol.md and the README."""


def test_every_figure_file_names_the_drawings_it_was_measured_on():
    assert FIGURE_FILES
    assert {str(p.relative_to(REPO_ROOT)): stored_hashes(p) for p in FIGURE_FILES if not stored_hashes(p)} == {}


def test_stored_measurements_were_made_on_the_shipped_drawings():
    problems = stale(FIGURE_FILES, manifest_hash(SHIPPED_DIR))
    lines = "\n".join(f"    {path.replace(str(REPO_ROOT) + '/', '')}: {why}" for path, why in problems.items())
    assert not problems, RE_MEASURE.format(problems=lines)


@pytest.fixture
def drawings(tmp_path):
    """A data folder of our own: a manifest and a dataset.json."""
    folder = tmp_path / "drawings"
    folder.mkdir()
    (folder / MANIFEST).write_text("aa  train/happy/0000.png\n")
    (folder / "dataset.json").write_text(json.dumps({"generator": "3"}))
    return folder


def test_a_measurement_is_fresh_on_its_drawings_and_stale_when_they_change(drawings, tmp_path):
    record = provenance(drawings)
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"accuracies": [0.9], "provenance": record}))
    page = tmp_path / "page.md"
    page.write_text(f"# Figures\n\n{markdown_line(record)}\n\n| a | b |\n")
    assert stale([figures, page], manifest_hash(drawings)) == {}

    (drawings / MANIFEST).write_text("bb  train/happy/0000.png\n")  # one drawing changed
    problems = stale([figures, page], manifest_hash(drawings))
    assert set(problems) == {str(figures), str(page)}
    assert all("measured on drawings" in why for why in problems.values())


def test_a_figure_file_without_drawings_is_stale(tmp_path, drawings):
    page = tmp_path / "page.md"
    page.write_text("# Figures\n\nNo provenance here; sha256 alone is not enough.\n")
    assert stale([page], manifest_hash(drawings)) == {str(page): "names no drawings"}
    assert MARK not in page.read_text()
