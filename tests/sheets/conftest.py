"""Photos of filled-in sheets, made once per session, and the folder they were imported into."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sheet_photos import Camera, filled_sheet, photograph

from smiley_checks.sheets import layout
from smiley_checks.sheets.kinds import OURS, SheetKind

HALF_FULL = [cell for index, cell in enumerate(layout.cells()) if index % 3 != 1]  # 16 of 24 boxes


@dataclass
class Shoot:
    folder: Path
    photos: dict[str, Path] = field(default_factory=dict)
    drawn: dict[str, dict] = field(default_factory=dict)  # photo name -> {(row, column): drawing}
    label: dict[str, str] = field(default_factory=dict)  # photo name -> the sheet's emotion

    def take(self, name: str, label: str, seed: int, camera: Camera, boxes=None, kind: SheetKind = OURS) -> Path:
        sheet, drawings = filled_sheet(label, seed, boxes, kind)
        path = photograph(sheet, camera, self.folder / name)
        self.photos[name], self.drawn[name], self.label[name] = path, drawings, label
        return path


@pytest.fixture(scope="session")
def shoot(tmp_path_factory) -> Shoot:
    """Good and bad phone photos: angles, turns, uneven light, blur, JPEG, a table around the sheet."""
    shoot = Shoot(tmp_path_factory.mktemp("photos"))
    # Good ones.
    shoot.take("happy_a.jpg", "happy", 11, Camera(turn_degrees=7, keystone=0.12, seed=1))
    shoot.take("happy_b.jpg", "happy", 12, Camera(turn_degrees=183, keystone=0.2, light_drop=0.6, shadow=0.45,
                                                  blur_px=1.5, jpeg_quality=70, seed=2), boxes=HALF_FULL)
    shoot.take("surprised_c.jpg", "surprised", 13, Camera(turn_degrees=-15, coverage=0.6, keystone=0.15,
                                                          jpeg_quality=75, seed=3))
    # Bad ones.
    shoot.take("covered.jpg", "happy", 14, Camera(cover=["top_right"], seed=4))
    shoot.take("dark.jpg", "happy", 15, Camera(exposure=0.15, noise=3.0, seed=5))
    shoot.take("blurred.jpg", "happy", 16, Camera(blur_px=5.0, seed=6))
    # For a second import into the same folder.
    shoot.take("happy_d.jpg", "happy", 17, Camera(turn_degrees=-4, light_drop=0.3, seed=7))
    (shoot.folder / "notes.txt").write_text("not a photo")
    return shoot
