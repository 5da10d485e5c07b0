"""The parts of an import, each on a clean rendered sheet: quality, light, cells, the folder."""

import json

import cv2
import numpy as np
import pytest
from sheet_photos import PX_PER_MM, blank, filled_sheet

from smiley_checks.dataset.layout import SHIPPED_DIR
from smiley_checks.errors import UsageError
from smiley_checks.sheets import cells, layout, quality
from smiley_checks.sheets.markers import Sighting, find_markers, sight, straighten
from smiley_checks.sheets.store import ImportFolder


def sighting_of(image, label="happy"):
    return sight(find_markers(image), label)


@pytest.mark.parametrize("sigma_mm", [0.0, 0.4, 0.8, 1.2])
def test_blur_is_measured_in_millimetres_on_the_markers(sigma_mm):
    sheet = blank("happy")
    seen = sheet if sigma_mm == 0 else cv2.GaussianBlur(sheet, (0, 0), sigma_mm * PX_PER_MM)
    looks = quality.photo_quality(seen, sighting_of(sheet))  # corners from the sharp sheet: only blur differs
    assert looks.blur_mm == pytest.approx(sigma_mm, abs=0.12)
    assert looks.paper == pytest.approx(1.0, abs=0.03)
    assert looks.too_blurred == (sigma_mm > quality.MAX_BLUR_MM)


def test_paper_brightness_is_measured_on_the_markers():
    sheet = blank("happy")
    looks = quality.photo_quality((sheet * 0.2).astype(np.uint8), sighting_of(sheet))
    assert looks.paper == pytest.approx(0.2, abs=0.02) and looks.too_dark


def test_the_marker_ids_tell_which_sheet_and_which_corners():
    sheet = blank("surprised").copy()
    box = layout.marker_box("bottom_left")
    sheet[round(box.top * PX_PER_MM):round(box.bottom * PX_PER_MM),
          round(box.left * PX_PER_MM):round(box.right * PX_PER_MM)] = 255
    assert sighting_of(sheet, "happy").label == "surprised"  # another sheet
    seen = sighting_of(sheet, "surprised")
    assert seen.label == "surprised" and seen.missing == ["bottom_left"]
    assert sighting_of(np.full((300, 400), 255, np.uint8)).label is None


def test_uneven_light_is_evened_out_and_empty_boxes_stay_empty():
    sheet = blank("happy").astype(np.float32)
    x = np.linspace(0.35, 1.0, sheet.shape[1], dtype=np.float32)
    shaded = (sheet * x[None, :] * 0.9).astype(np.uint8)  # one side gets a third of the light
    flat = cells.even_light(shaded, PX_PER_MM)
    for row, column in layout.cells():
        box = layout.cut_box(row, column)
        region = flat[round(box.top * PX_PER_MM):round(box.bottom * PX_PER_MM),
                      round(box.left * PX_PER_MM):round(box.right * PX_PER_MM)]
        assert region.min() > 230
    assert cells.cut_all(flat, PX_PER_MM) == {}


def test_a_sheet_seen_straight_on_gives_back_its_drawings_exactly():
    sheet, drawn = filled_sheet("happy", 5)
    seen = sighting_of(sheet)
    got = cells.cut_all(cells.even_light(straighten(sheet, seen), PX_PER_MM), PX_PER_MM)
    assert set(got) == set(drawn)
    assert min((got[key] == drawn[key]).mean() for key in drawn) > 0.995


def test_a_large_photo_is_shrunk_before_straightening():
    sheet = blank("happy")
    big = cv2.resize(sheet, None, fx=2.5, fy=2.5, interpolation=cv2.INTER_LINEAR)
    seen = sighting_of(big)
    straight = straighten(big, seen)
    assert straight.shape == sheet.shape
    assert np.abs(straight.astype(int) - sheet).mean() < 6
    assert isinstance(seen, Sighting)


def test_import_refuses_the_shipped_or_a_generated_dataset(tiny_dataset):
    with pytest.raises(UsageError, match="is the shipped dataset"):
        ImportFolder(SHIPPED_DIR)
    with pytest.raises(UsageError, match="holds a generated dataset"):
        ImportFolder(tiny_dataset)
    assert "photos" not in json.loads((tiny_dataset / "dataset.json").read_text())


def test_a_sheet_too_small_in_the_photo_is_refused_with_the_reason():
    from smiley_checks.sheets.importing import PhotoProblem, read_sheet

    tiny = cv2.resize(blank("happy"), None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA)  # 1.5 px per mm
    with pytest.raises(PhotoProblem, match=r"^tiny\.jpg: the sheet is too small in the photo \(1\.5 pixels per mm"):
        read_sheet(tiny, "happy", "tiny.jpg")


def test_import_into_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        ImportFolder(tmp_path / "file")
