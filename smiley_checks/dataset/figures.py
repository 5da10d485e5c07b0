"""Figures that describe how a set of drawings is drawn, whatever its emotion.

Each figure is measured on one binarised drawing (0 ink, 255 paper) and summarised per class as a
mean and a spread (standard deviation). They were chosen to compare a class's own drawings with the
shipped ones (issue 25, docs/drawings.md):

- ink_share:     the share of the cell's pixels that are ink;
- face_size:     the longest side of the bounding box of all ink, in pixels;
- stroke_width:  2 x ink pixels / ink edge pixels, in pixels (an edge pixel is an ink pixel with
                 paper, or the cell's border, above, below, left or right of it): a stroke w pixels
                 wide and L long has about w x L ink pixels and 2 x L edge pixels;
- lowest_row:    the lowest row (0 at the top, 109 at the bottom) with ink;
- pieces:        separate pieces of ink (pixels that touch above, below, left or right are one piece);
- holes:         pieces of paper of at least HOLE_PIXELS pixels that ink encloses (a closed outline, a
                 closed "O" mouth, ring eyes);
- centre_offset: how far the centre of the ink's bounding box is from the cell's centre, in pixels.

A cell without ink has no size, stroke, lowest row or centre: those figures are NaN for it and
left out of the class's summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

FIGURES = ("ink_share", "face_size", "stroke_width", "lowest_row", "pieces", "holes", "centre_offset")
UNITS = {"ink_share": "%", "face_size": "px", "stroke_width": "px", "lowest_row": "row", "pieces": "",
         "holes": "", "centre_offset": "px"}
HOLE_PIXELS = 6  # smaller enclosed bits of paper are gaps inside a thick stroke, not holes
_FOUR_NEIGHBOURS = ndimage.generate_binary_structure(2, 1)


def ink_mask(image: np.ndarray) -> np.ndarray:
    """True where a (H, W) or (H, W, 1) image is ink: at most 127, as the lesson binarises."""
    image = np.asarray(image)
    if image.ndim == 3:
        image = image[..., 0]
    return image <= 127


def measure(image: np.ndarray) -> dict[str, float]:
    """Every figure of one drawing."""
    ink = ink_mask(image)
    height, width = ink.shape
    count = int(ink.sum())
    figures = {name: float("nan") for name in FIGURES}
    figures["ink_share"] = count / ink.size
    figures["pieces"] = float(ndimage.label(ink, structure=_FOUR_NEIGHBOURS)[1])
    figures["holes"] = float(_holes(ink))
    if count == 0:
        return figures
    rows, columns = np.nonzero(ink)
    top, bottom, left, right = rows.min(), rows.max(), columns.min(), columns.max()
    figures["face_size"] = float(max(bottom - top + 1, right - left + 1))
    figures["lowest_row"] = float(bottom)
    figures["centre_offset"] = float(np.hypot((top + bottom) / 2 - (height - 1) / 2,
                                              (left + right) / 2 - (width - 1) / 2))
    inside = ndimage.binary_erosion(np.pad(ink, 1), structure=_FOUR_NEIGHBOURS)[1:-1, 1:-1]
    figures["stroke_width"] = 2 * count / int((ink & ~inside).sum())
    return figures


def _holes(ink: np.ndarray) -> int:
    """Pieces of paper (joined above, below, left or right) of HOLE_PIXELS or more that do not reach the border."""
    labels, count = ndimage.label(~ink, structure=_FOUR_NEIGHBOURS)
    if count == 0:
        return 0
    border = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    enclosed = np.ones(count + 1, bool)
    enclosed[0] = False
    enclosed[border] = False
    return int(np.sum(enclosed & (sizes >= HOLE_PIXELS)))


@dataclass(frozen=True)
class Summary:
    """One figure over a set of drawings."""

    mean: float
    spread: float  # standard deviation
    count: int  # drawings it was measured on

    def to_json(self) -> dict:
        return {"mean": round(self.mean, 4), "spread": round(self.spread, 4), "count": self.count}


def summarise(images) -> dict[str, Summary]:
    """Each figure's mean and spread over a set of drawings (an (N, H, W[, 1]) array or a list)."""
    matrix = figure_matrix(images)
    summaries = {}
    for column, name in enumerate(FIGURES):
        values = matrix[:, column]
        values = values[np.isfinite(values)]
        if name == "ink_share":
            values = values * 100  # a percentage reads better
        if len(values):
            summaries[name] = Summary(float(values.mean()), float(values.std()), len(values))
        else:
            summaries[name] = Summary(float("nan"), float("nan"), 0)
    return summaries


def figure_matrix(images) -> np.ndarray:
    """(N, len(FIGURES)) of every drawing's figures, in FIGURES order (ink_share as a fraction)."""
    rows = [measure(image) for image in images]
    return np.array([[figures[name] for name in FIGURES] for figures in rows], dtype=float).reshape(-1, len(FIGURES))
