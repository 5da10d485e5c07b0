"""Printable grid sheets and importing photos of filled-in sheets.

    layout      where everything is on our sheet, in millimetres
    kinds       our sheet and the lesson's own (raster.pdf): markers and grid of each
    printing    the sheet as a PDF (or as pixels, for previews and tests)
    markers     finding the corner markers and straightening a photo
    search      looking harder for small far markers (the lesson's sheet at a steep angle)
    grid        placing the grid from its own printed lines
    quality     is a straightened photo too dark or too blurred?
    cells       evening out the light, cutting and binarising the boxes
    store       writing drawings into a dataset folder the loader reads
    importing   one photo after another, each with its own verdict
"""
