"""The expected autograde result of every task for every example submission: the ONE place.

Written before the submissions were graded. Each row is a student, each column a
test cell (grade_id) in notebook order. A number is the points the autograder must
give; "m" means a written answer that waits for the teacher (needs_manual_grade,
0 points until graded); a blank written answer is graded 0 automatically.

The students (tests/nbgrader/submissions/<student>/<assignment>.ipynb, made by
make_submissions.py):

  ada    hands in the teacher's source notebook as it is (so: the source scores full marks)
  bert   hands in the notebook as released, nothing filled in
  chloe  did tasks 1 and 2 of `layers`, nothing after
  dirk   is wrong in every task, each time in a typical way
  emma   one answer cell raises (max_pool is never defined); normalise divides by zero
  finn   convolve never ends (a while loop without a step): the cell timeout stops it
  gina   max_pool asks for a 7 GB array: the kernel's memory limit turns that into MemoryError
  hugo   correct, but deleted a test cell, emptied another's visible check, changed the locked
         setup cell and gave a test cell 100 points: nbgrader restores them all
  ines   nothing done; replaces smiley_checks' checks, hidden tests and judges by functions
         that always pass: the hidden tests load smiley_checks afresh and fail her
  jon    nothing done; cheats on the kernel itself: an IPython input transformer empties every
         cell that checks, so no test raises; only the judge outside the kernel catches him
  kim    correct up to dense_params, then crashes Python (a segmentation fault) in the
         normalise cell: the tests after it count as not run, the points before it stay
"""

LAYERS_COLUMNS = ("shapes_conv_pool", "shapes_other", "shapes_network", "conv2d_params", "dense_params",
                  "normalise", "max_pool", "convolve")
LAYERS = """
ada     2 2 1 2 2 3 2 3
bert    0 0 0 0 0 0 0 0
chloe   2 2 1 2 2 0 0 0
dirk    0 0 0 0 0 0 0 0
emma    2 2 1 2 2 0 0 3
finn    2 2 1 2 2 3 2 0
gina    2 2 1 2 2 3 0 3
hugo    2 2 1 2 2 3 2 3
ines    0 0 0 0 0 0 0 0
jon     0 0 0 0 0 0 0 0
kim     2 2 1 2 2 0 0 0
"""

BREAK_COLUMNS = ("no_batchnorm", "no_conv2d", "only_dense", "smallest_break", "question_smallest_break",
                 "never_remove", "never_remove_why", "question_batchnorm", "question_conv2d", "question_dense")
BREAK = """
ada     2 2 2 3 m 2 m m m m
bert    0 0 0 0 0 0 0 0 0 0
dirk    0 0 0 0 m 0 m m m m
"""


def _table(text: str, columns) -> dict[str, dict[str, float | str]]:
    rows = {}
    for line in text.strip().splitlines():
        student, *cells = line.split()
        assert len(cells) == len(columns), line
        rows[student] = {column: cell if cell == "m" else float(cell) for column, cell in zip(columns, cells)}
    return rows


EXPECTED = {
    "layers": _table(LAYERS, LAYERS_COLUMNS),
    "break_the_model": _table(BREAK, BREAK_COLUMNS),
}
# The Dutch notebooks come from the same templates and must grade the same.
EXPECTED |= {"lagen": EXPECTED["layers"], "breek_het_model": EXPECTED["break_the_model"]}
# The cheating, crashing, looping and memory-hungry students: for the "others are unaffected" checks.
ODD = {"emma", "finn", "gina", "hugo", "ines", "jon", "kim"}
