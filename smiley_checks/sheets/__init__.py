"""Printable grid sheets and importing photos of filled-in sheets.

    layout      where everything is on a sheet, in millimetres
    printing    the sheet as a PDF (or as pixels, for previews and tests)
    markers     finding the corner markers and straightening a photo
    quality     is a straightened photo too dark or too blurred?
    cells       evening out the light, cutting and binarising the boxes
    store       writing drawings into a dataset folder the loader reads
    importing   one photo after another, each with its own verdict
"""
