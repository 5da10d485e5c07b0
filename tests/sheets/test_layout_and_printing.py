import re

import numpy as np
import pytest
from sheet_photos import run_cli

from smiley_checks.dataset.layout import ALL_CLASSES
from smiley_checks.sheets import layout
from smiley_checks.sheets.markers import find_markers
from smiley_checks.sheets.printing import render


def test_every_label_has_its_own_four_markers():
    seen = set()
    for label in ALL_CLASSES:
        ids = layout.marker_ids(label)
        assert not seen & set(ids)
        seen |= set(ids)
        assert [layout.marker_owner(i) for i in ids] == [(label, corner) for corner in layout.CORNERS]
    assert layout.marker_owner(40) is None


def test_the_grid_is_six_by_four_boxes_of_60_mm_on_a3_landscape():
    assert (layout.SHEET_WIDTH, layout.SHEET_HEIGHT) == (420, 297)
    assert len(layout.cells()) == 24
    last = layout.cell_box(layout.ROWS - 1, layout.COLUMNS - 1)
    assert (last.width, last.height) == (60, 60)
    assert last.right <= layout.SHEET_WIDTH - layout.MARKER_MARGIN and last.bottom <= layout.SHEET_HEIGHT - 8
    for corner in layout.CORNERS:  # markers keep at least one bit of white from the grid
        box = layout.marker_box(corner)
        gap = min(abs(box.right - layout.GRID_LEFT), abs(box.left - (layout.GRID_LEFT + 6 * layout.CELL)))
        assert gap >= layout.MARKER / layout.MARKER_BITS


def test_print_writes_a3_landscape_pages(tmp_path):
    run = run_cli("sheets", "print", "--out", tmp_path / "surprised.pdf", "--label", "surprised", "--copies", "3")
    assert run.code == 0, run.err
    assert "3 A3 sheet(s) for surprised smileys" in run.out
    data = (tmp_path / "surprised.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert len(boxes) == 3 and len(re.findall(rb"/Type /Page\b", data)) == 3
    width, height = (float(v) * 25.4 / 72 for v in boxes[0])  # points -> mm
    assert width == pytest.approx(420, abs=0.01) and height == pytest.approx(297, abs=0.01)


def test_print_refuses_a_silly_number_of_copies(tmp_path):
    run = run_cli("sheets", "print", "--out", tmp_path / "x.pdf", "--copies", "0")
    assert run.code == 2
    assert run.err.strip() == "smiley-checks: --copies must be between 1 and 200, not 0."


@pytest.mark.parametrize("label", ["happy", "sad"])
def test_the_printed_markers_are_where_the_layout_says(label):
    px_per_mm = 4.0
    sheet = render(label, px_per_mm)
    assert sheet.shape == (round(297 * px_per_mm), round(420 * px_per_mm))
    found = find_markers(sheet)
    assert sorted(found) == sorted(layout.marker_ids(label))
    for corner, marker_id in zip(layout.CORNERS, layout.marker_ids(label)):
        expected = layout.mm_to_px(np.array(layout.marker_box(corner).corners()), px_per_mm)
        assert np.abs(found[marker_id][0] - expected).max() < 0.5
    # The header is there: dark text between the top markers, the boxes are empty.
    title = sheet[round(12 * px_per_mm):round(24 * px_per_mm), round(30 * px_per_mm):round(200 * px_per_mm)]
    assert (title < 128).any()
    inner = layout.cut_box(1, 1)
    box = sheet[round(inner.top * px_per_mm):round(inner.bottom * px_per_mm),
                round(inner.left * px_per_mm):round(inner.right * px_per_mm)]
    assert box.min() > 250
