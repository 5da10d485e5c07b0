"""Photos of the lesson's own printed sheet (raster.pdf), imported like ours, with no flag to say which.

The lesson's sheet has other markers (DICT_6X6_250, 15 mm, ids 0 2 3 1 clockwise from the top left)
and its grid elsewhere; see smiley_checks/sheets/kinds.py. Phones photograph it at a steep angle, so
the far markers are small: some photos here are made so that OpenCV's default detector finds only
two of the four markers, and the tests show that it does.
"""

import cv2
import numpy as np
import pytest
from conftest import HALF_FULL, Shoot
from sheet_photos import Camera, assert_sentences, imported_files, run_cli
from test_import import MIN_AGREEMENT

from smiley_checks.dataset.loader import read_image
from smiley_checks.sheets import cells
from smiley_checks.sheets.grid import place_grid
from smiley_checks.sheets.importing import read_photo
from smiley_checks.sheets.kinds import LESSON
from smiley_checks.sheets.markers import STRAIGHT_PX_PER_MM, homography, sight, straighten
from smiley_checks.sheets.search import find_markers_harder

ALL_IDS = set(LESSON.corner_ids.values())
# A 12-megapixel phone photo from low down: the far side of the sheet is small and squashed.
STEEP = Camera(size=(4000, 3000), turn_degrees=182, coverage=0.55, keystone=0.55, squash=0.4, light_drop=0.5,
               blur_px=1.3, jpeg_quality=75, seed=9, kind=LESSON)
GOOD = {"lesson_a.jpg": 24, "lesson_steep.jpg": 24, "lesson_thumbs.jpg": 16}


@pytest.fixture(scope="module")
def lesson_shoot(tmp_path_factory) -> Shoot:
    shoot = Shoot(tmp_path_factory.mktemp("lesson_photos"))
    shoot.take("lesson_a.jpg", "happy", 31, Camera(turn_degrees=7, keystone=0.12, seed=11, kind=LESSON),
               kind=LESSON)
    shoot.take("lesson_steep.jpg", "happy", 32, STEEP, kind=LESSON)
    # Two thumbs over the top markers: only the grid's lines can place the sheet.
    shoot.take("lesson_thumbs.jpg", "happy", 33,
               Camera(turn_degrees=-10, keystone=0.2, light_drop=0.6, shadow=0.45, blur_px=1.5, jpeg_quality=70,
                      cover=["top_left", "top_right"], seed=12, kind=LESSON), boxes=HALF_FULL, kind=LESSON)
    shoot.take("lesson_one_corner.jpg", "happy", 34,
               Camera(cover=["top_left", "top_right", "bottom_left"], seed=13, kind=LESSON), kind=LESSON)
    shoot.take("lesson_blurred.jpg", "happy", 35, Camera(blur_px=5.0, seed=14, kind=LESSON), kind=LESSON)
    shoot.take("lesson_surprised.jpg", "surprised", 36,
               Camera(turn_degrees=175, keystone=0.15, jpeg_quality=80, seed=15, kind=LESSON), kind=LESSON)
    return shoot


def default_detector_ids(path) -> set[int]:
    gray, _ = read_photo(path)
    detector = cv2.aruco.ArucoDetector(cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_6X6_250))
    _, ids, _ = detector.detectMarkers(gray)
    return set() if ids is None else {int(marker_id) for marker_id in ids.ravel()}


def test_in_the_steep_photo_the_default_detector_finds_only_two_markers_and_the_retries_find_all(lesson_shoot):
    path = lesson_shoot.photos["lesson_steep.jpg"]
    assert len(default_detector_ids(path)) == 2
    gray, _ = read_photo(path)
    assert set(find_markers_harder(gray, LESSON, ALL_IDS)) == ALL_IDS


def test_with_two_markers_covered_the_grid_lines_place_the_sheet(lesson_shoot):
    """Placed on the two markers alone, cells are cut off; placed on the grid's lines they are not."""
    path = lesson_shoot.photos["lesson_thumbs.jpg"]
    assert len(default_detector_ids(path)) == 2
    gray, _ = read_photo(path)
    sighting = sight(find_markers_harder(gray, LESSON, ALL_IDS), "happy", LESSON)
    assert sorted(sighting.missing) == ["top_left", "top_right"]
    on_markers = homography(sighting, STRAIGHT_PX_PER_MM)
    on_grid = place_grid(gray, on_markers, LESSON, STRAIGHT_PX_PER_MM)
    assert on_grid is not None
    drawn = lesson_shoot.drawn["lesson_thumbs.jpg"]

    def worst_agreement(matrix):
        flat = cells.even_light(straighten(gray, sighting, STRAIGHT_PX_PER_MM, matrix), STRAIGHT_PX_PER_MM)
        cut = cells.cut_all(flat, STRAIGHT_PX_PER_MM, LESSON)
        return min(float((cut[box] == drawing).mean()) if box in cut else 0.0 for box, drawing in drawn.items())

    assert worst_agreement(on_markers) < MIN_AGREEMENT  # the counter-case: two markers alone are not enough
    assert worst_agreement(on_grid) >= MIN_AGREEMENT


def test_no_grid_is_placed_on_a_page_without_grid_lines(lesson_shoot):
    gray, _ = read_photo(lesson_shoot.photos["lesson_a.jpg"])
    sighting = sight(find_markers_harder(gray, LESSON, ALL_IDS), "happy", LESSON)
    matrix = homography(sighting, STRAIGHT_PX_PER_MM)
    assert place_grid(gray, matrix, LESSON, STRAIGHT_PX_PER_MM) is not None
    blank = np.full_like(gray, 200)
    assert place_grid(blank, matrix, LESSON, STRAIGHT_PX_PER_MM) is None


@pytest.fixture(scope="module")
def imported(lesson_shoot, shoot, tmp_path_factory):
    """Lesson photos and one of our own sheets in one run: no flag says which kind a photo is."""
    folder = tmp_path_factory.mktemp("lesson_class") / "drawings"
    p = lesson_shoot.photos
    run = run_cli("sheets", "import", p["lesson_a.jpg"], p["lesson_one_corner.jpg"], p["lesson_steep.jpg"],
                  shoot.photos["happy_a.jpg"], p["lesson_blurred.jpg"], p["lesson_thumbs.jpg"],
                  "--label", "happy", "--into", folder)
    surprised = run_cli("sheets", "import", p["lesson_surprised.jpg"], "--label", "surprised", "--into", folder)
    return folder, run, surprised


def test_lesson_sheets_and_ours_are_imported_in_one_run(imported):
    _, run, surprised = imported
    lines = run.out.splitlines()
    assert lines[0].startswith("lesson_a.jpg: 24 drawings found (0 empty boxes skipped): train ")
    assert lines[1].startswith("lesson_steep.jpg: 24 drawings found (0 empty boxes skipped): ")
    assert lines[2].startswith("happy_a.jpg: 24 drawings found (0 empty boxes skipped): ")
    assert lines[3].startswith("lesson_thumbs.jpg: 16 drawings found (8 empty boxes skipped): ")
    assert surprised.code == 0, surprised.err
    assert surprised.out.startswith("lesson_surprised.jpg: 24 drawings found (0 empty boxes skipped)")


def test_a_lesson_photo_whose_grid_cannot_be_placed_gets_one_sentence(imported):
    _, run, _ = imported
    assert run.code == 2
    expected = [
        r"lesson_one_corner\.jpg: the grid could not be found \(only 1 of the four black corner squares could be "
        r"read and the grid's lines were not clear enough\); take the photo again from a bit higher up, with the "
        r"whole sheet in the picture\.",
        r"lesson_blurred\.jpg is too blurred \(edges are smeared over about (0\.9|1\.\d) mm, at most 0\.6 mm "
        r"allowed\); hold the phone still and tap the sheet to focus\.",
        r"2 of 6 photos could not be imported \(see above\); the others were imported\.",
    ]
    assert_sentences(run.err, expected)


def test_every_lesson_drawing_comes_back_with_its_pixels(imported, lesson_shoot, record_property):
    folder, _, _ = imported
    files = imported_files(folder)
    agreements, worst = [], {}
    for name, count in {**GOOD, "lesson_surprised.jpg": 24}.items():
        drawn = lesson_shoot.drawn[name]
        assert len(files[name]) == count == len(drawn)
        for (row, column), drawing in drawn.items():
            relative = files[name][f"r{row + 1}c{column + 1}"]
            assert relative.split("/")[1] == lesson_shoot.label[name]
            image = read_image(folder / relative, None)
            agreement = float((image == drawing).mean())
            agreements.append(agreement)
            worst[name] = min(agreement, worst.get(name, 1.0))
            assert agreement >= MIN_AGREEMENT, (name, row, column, agreement)
    record_property("agreement_min", min(agreements))
    record_property("agreement_mean", float(np.mean(agreements)))
    print(f"\nlesson sheets, agreement over {len(agreements)} drawings: min {min(agreements):.4f}, "
          f"mean {np.mean(agreements):.4f}; worst per photo: "
          + ", ".join(f"{name} {value:.4f}" for name, value in worst.items()))


def test_the_messages_follow_the_language_setting(lesson_shoot, tmp_path):
    run = run_cli("--lang", "nl", "sheets", "import", lesson_shoot.photos["lesson_one_corner.jpg"],
                  "--label", "happy", "--into", tmp_path / "x")
    assert run.code == 2
    assert "lesson_one_corner.jpg: het rooster kon niet gevonden worden" in run.err

