"""Where everything is on a sheet, in millimetres from the top-left corner (y down).

An A3 landscape sheet (420 x 297 mm) holds a grid of 6 x 4 boxes of 60 mm and
an ArUco marker (4x4 dictionary) in each corner. The marker ids tell which
emotion the sheet is for: happy 0-3, surprised 4-7, sad 8-11, in the order
top left, top right, bottom right, bottom left. So a photo shows which sheet
it is, and which way up it was held.
"""

from __future__ import annotations

from dataclasses import dataclass

from smiley_checks.dataset.layout import ALL_CLASSES

SHEET_WIDTH, SHEET_HEIGHT = 420.0, 297.0  # A3 landscape
COLUMNS, ROWS = 6, 4
CELL = 60.0
GRID_LEFT, GRID_TOP = 30.0, 47.0  # the grid spans 30..390 x 47..287
GRID_LINE = 0.5  # printed line width

MARKER = 18.0  # side of a marker, its black border included
MARKER_BITS = 6  # 4 x 4 data bits and a one-bit black border
MARKER_MARGIN = 8.0  # from the paper's edge: inside what printers can print
CORNERS = ("top_left", "top_right", "bottom_right", "bottom_left")

CUT_MARGIN = 3.0  # cut this far inside each box, so grid lines and cutting errors stay out

HEADER_LEFT, HEADER_RIGHT = GRID_LEFT, GRID_LEFT + COLUMNS * CELL


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def corners(self) -> list[tuple[float, float]]:
        """Clockwise from the top left, the order ArUco gives a marker's corners."""
        return [(self.left, self.top), (self.right, self.top), (self.right, self.bottom), (self.left, self.bottom)]


def marker_ids(label: str) -> tuple[int, int, int, int]:
    """The ids printed on a sheet for `label`, in CORNERS order."""
    base = 4 * ALL_CLASSES.index(label)
    return (base, base + 1, base + 2, base + 3)


def marker_owner(marker_id: int) -> tuple[str, str] | None:
    """(label, corner) of a marker id, or None for an id no sheet uses."""
    label_index, corner_index = divmod(marker_id, 4)
    if not 0 <= label_index < len(ALL_CLASSES):
        return None
    return ALL_CLASSES[label_index], CORNERS[corner_index]


def marker_box(corner: str) -> Box:
    left = MARKER_MARGIN if "left" in corner else SHEET_WIDTH - MARKER_MARGIN - MARKER
    top = MARKER_MARGIN if corner.startswith("top") else SHEET_HEIGHT - MARKER_MARGIN - MARKER
    return Box(left, top, MARKER, MARKER)


def cell_box(row: int, column: int) -> Box:
    return Box(GRID_LEFT + column * CELL, GRID_TOP + row * CELL, CELL, CELL)


def cut_box(row: int, column: int, margin: float = CUT_MARGIN) -> Box:
    """The part of a box that becomes a training image."""
    box = cell_box(row, column)
    return Box(box.left + margin, box.top + margin, box.width - 2 * margin, box.height - 2 * margin)


def cells() -> list[tuple[int, int]]:
    """(row, column) of every box, row by row from the top left."""
    return [(row, column) for row in range(ROWS) for column in range(COLUMNS)]


def mm_to_px(mm, px_per_mm: float):
    """Millimetres on the sheet -> pixel coordinates of an image of the whole sheet.

    Pixel centres sit at whole numbers (OpenCV's convention), so the sheet's
    edge is at -0.5 and pixel i covers [i / px_per_mm, (i + 1) / px_per_mm) mm.
    """
    return mm * px_per_mm - 0.5
