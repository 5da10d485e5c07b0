"""The sheet as a vector PDF with exact millimetre geometry, or as pixels.

Matplotlib draws on an A3 figure (sizes in inches = mm / 25.4) whose one set
of axes covers the whole page with millimetres as data units. Markers and grid
are vector rectangles, so they print sharp at any printer resolution; PDFs
must be printed at "actual size" (100 %), not "fit to page".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from smiley_checks.sheets import layout
from smiley_checks.sheets.markers import marker_bits
from smiley_checks.messages import say

MM_PER_INCH = 25.4
POINTS_PER_MM = 72 / MM_PER_INCH


def _figure(label: str):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(layout.SHEET_WIDTH / MM_PER_INCH, layout.SHEET_HEIGHT / MM_PER_INCH))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, layout.SHEET_WIDTH)
    ax.set_ylim(layout.SHEET_HEIGHT, 0)  # y down, like the layout
    ax.set_axis_off()
    ax.set_facecolor("white")

    # Markers: one black square per dark bit, no antialiasing seams between bits.
    for corner, marker_id in zip(layout.CORNERS, layout.marker_ids(label)):
        box = layout.marker_box(corner)
        bit = box.width / layout.MARKER_BITS
        bits = marker_bits(marker_id)
        for row in range(layout.MARKER_BITS):
            for column in range(layout.MARKER_BITS):
                if bits[row, column] == 0:  # black
                    ax.add_patch(Rectangle((box.left + column * bit, box.top + row * bit), bit, bit,
                                           facecolor="black", edgecolor="black", linewidth=0.1))

    # The grid.
    line = dict(color="black", linewidth=layout.GRID_LINE * POINTS_PER_MM, solid_capstyle="projecting")
    top, bottom = layout.GRID_TOP, layout.GRID_TOP + layout.ROWS * layout.CELL
    left, right = layout.GRID_LEFT, layout.GRID_LEFT + layout.COLUMNS * layout.CELL
    for column in range(layout.COLUMNS + 1):
        x = left + column * layout.CELL
        ax.plot([x, x], [top, bottom], **line)
    for row in range(layout.ROWS + 1):
        y = top + row * layout.CELL
        ax.plot([left, right], [y, y], **line)

    # The header: what to draw, how, and a line for the name.
    ax.text(layout.HEADER_LEFT, 21, say(f"sheets.title.{label}"), fontsize=26, fontweight="bold",
            va="baseline", ha="left")
    ax.text(layout.HEADER_LEFT, 32, say("sheets.instructions"), fontsize=10.5, va="baseline", ha="left")
    name_x = layout.HEADER_RIGHT - 95
    ax.text(name_x, 21, say("sheets.name") + ":", fontsize=14, va="baseline", ha="left")
    ax.plot([name_x + 18, layout.HEADER_RIGHT], [21.5, 21.5], color="black", linewidth=0.8)
    ids = layout.marker_ids(label)
    ax.text(layout.HEADER_LEFT, 41.5, say("sheets.footer", label=label, first=ids[0], last=ids[-1]),
            fontsize=7.5, color="0.35", va="baseline", ha="left")
    return fig


def write_pdf(path: Path, label: str = "happy", copies: int = 1) -> Path:
    """An A3 landscape PDF with `copies` identical pages."""
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = _figure(label)
    with PdfPages(path, metadata={"Title": f"smiley sheet ({label})", "Creator": "smiley-checks"}) as pdf:
        for _ in range(copies):
            pdf.savefig(fig)
    return path


def render(label: str = "happy", px_per_mm: float = 5.0) -> np.ndarray:
    """The sheet as a grayscale image (uint8, 0 black, 255 white) at px_per_mm."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure(label)
    fig.set_dpi(px_per_mm * MM_PER_INCH)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    gray = (0.299 * rgba[..., 0] + 0.587 * rgba[..., 1] + 0.114 * rgba[..., 2]).round().astype(np.uint8)
    expected = (round(layout.SHEET_HEIGHT * px_per_mm), round(layout.SHEET_WIDTH * px_per_mm))
    if gray.shape != expected:  # matplotlib rounds the canvas size; pad or crop to the exact page
        padded = np.full(expected, 255, np.uint8)
        h, w = min(expected[0], gray.shape[0]), min(expected[1], gray.shape[1])
        padded[:h, :w] = gray[:h, :w]
        gray = padded
    return gray
