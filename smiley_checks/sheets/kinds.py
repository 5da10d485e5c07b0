"""The two kinds of sheet an import reads: ours, and the lesson's own printed raster.

Both are A3 landscape with a 6 x 4 grid of 60 mm boxes and an ArUco marker in
each corner; they differ in where the grid and the markers are, in the
markers' dictionary, and in what the marker ids say.

- Ours (`layout`): DICT_4X4_50, 18 mm markers, grid 30..390 x 47..287 mm; the
  ids tell the emotion and the corner.
- The lesson's (raster.pdf of part 1): DICT_6X6_250, 15 mm markers 10 mm
  from the page edges, id 0 top left, 2 top right, 3 bottom right, 1 bottom
  left; grid 30..390 x 30..270 mm; the words BOVEN and ONDER. The sheet does
  not say which emotion was drawn on it: that comes from --label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2

from smiley_checks.sheets import layout
from smiley_checks.sheets.layout import CORNERS, Box


@dataclass(frozen=True)
class SheetKind:
    name: str
    dictionary: int  # cv2.aruco.DICT_...
    marker: float  # side of a marker in mm, its black border included
    marker_bits: int  # bits along a side, the one-bit border included
    marker_margin: float  # from the paper's edge
    grid_left: float
    grid_top: float
    corner_ids: dict[str, int] = field(default_factory=dict)  # lesson: fixed ids; ours: per emotion
    cut_margin: float = layout.CUT_MARGIN
    grid_line: float = layout.GRID_LINE
    cell: float = layout.CELL
    columns: int = layout.COLUMNS
    rows: int = layout.ROWS
    width: float = layout.SHEET_WIDTH
    height: float = layout.SHEET_HEIGHT

    def marker_ids(self, label: str) -> tuple[int, ...]:
        """The ids printed on a sheet (for `label`), in CORNERS order."""
        if self.corner_ids:
            return tuple(self.corner_ids[corner] for corner in CORNERS)
        return layout.marker_ids(label)

    def marker_owner(self, marker_id: int) -> tuple[str | None, str] | None:
        """(label or None when the sheet does not tell, corner) of an id, or None for an id not printed."""
        if not self.corner_ids:
            return layout.marker_owner(marker_id)
        corners = {number: corner for corner, number in self.corner_ids.items()}
        return (None, corners[marker_id]) if marker_id in corners else None

    def marker_box(self, corner: str) -> Box:
        left = self.marker_margin if "left" in corner else self.width - self.marker_margin - self.marker
        top = self.marker_margin if corner.startswith("top") else self.height - self.marker_margin - self.marker
        return Box(left, top, self.marker, self.marker)

    def cell_box(self, row: int, column: int) -> Box:
        return Box(self.grid_left + column * self.cell, self.grid_top + row * self.cell, self.cell, self.cell)

    def cut_box(self, row: int, column: int) -> Box:
        box, margin = self.cell_box(row, column), self.cut_margin
        return Box(box.left + margin, box.top + margin, box.width - 2 * margin, box.height - 2 * margin)

    def vertical_lines(self) -> list[float]:
        """x (mm) of the grid's vertical lines, left to right."""
        return [self.grid_left + column * self.cell for column in range(self.columns + 1)]

    def horizontal_lines(self) -> list[float]:
        """y (mm) of the grid's horizontal lines, top to bottom."""
        return [self.grid_top + row * self.cell for row in range(self.rows + 1)]


OURS = SheetKind("ours", cv2.aruco.DICT_4X4_50, layout.MARKER, layout.MARKER_BITS, layout.MARKER_MARGIN,
                 layout.GRID_LEFT, layout.GRID_TOP)
LESSON = SheetKind("lesson", cv2.aruco.DICT_6X6_250, 15.0, 8, 10.0, 30.0, 30.0,
                   corner_ids={"top_left": 0, "top_right": 2, "bottom_right": 3, "bottom_left": 1})
KINDS = (OURS, LESSON)  # the order an import tries them in
