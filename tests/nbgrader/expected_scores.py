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
  dirk   is wrong in every task, each time in a typical way (the doctor's task: each network mixed up
         with another)
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
  leon   imports the grader's reference answers instead of writing the functions: the kernel runs
         with the students' Python, which has no grader to import
  olga   plants a fake grader (a judge that passes everything) in the course folder and her own,
         and a .pth file in the teacher's site-packages: the sandbox lets her write none of them,
         and the judge and nbgrader start isolated (python -I -S, our packages fingerprinted) anyway
  vera   right, written the numpy way (arrays back, vectorised): full marks

  (break_the_model)
  fred   Task 1 with the functional API and tensorflow.keras: full marks for it
  mats   Task 4: one harmless edit, compiled with learning rate 0: the grader trains with the
         lesson's settings, so the network is still reliable
  noor   Task 4: one harmless edit and every layer frozen (trainable=False): each frozen layer is an
         edit, far more than 2
  otto   asks the never_remove check every set until it says "correct": it checks the form only,
         so it accepts his first guess, which is wrong
  klara  Task 4: one harmless edit, and in the record she hands in an extra Lambda layer connected to
         nothing, whose function (keras.config.set_max_steps_per_epoch(1)) the grader's Keras would call:
         the judge rebuilds only configs within its allow-list, so she gets 0 and the one-line reason

Students who attack the grading itself; the sandbox (grader/smiley_grader/sandbox.py) stops each:
  lena   copies ada's answers from ada's handed-in notebook (../../../submitted/ada/...)
  max    runs the teacher's solutions from the course's source/ folder
  nora   writes extra_credit = 100 into gradebook.db and appends a line to nbgrader_config.py
  omar   starts 400 waiting processes and writes a 1 GB file
  pia    fetches the answers over TCP from 127.0.0.1 (a port the test opens; in port.txt)
  rik    correct, and leaves a process running after his last cell

Students who try to write their own score; the judge's outcome replaces every test cell's outputs:
  tara   nothing done; replaces the checks' check and hand_in by a function that returns "ok", so
         every test cell shows 'ok' (nbgrader's full points) in layers and break_the_model, where
         her builders return None
  ugo    correct, and prints 30 outputs of 3 MB: the grader keeps at most 2 MB of them

A student who attacks the teacher's browser; the sanitiser (grader/smiley_grader/safe_html.py) stops her:
  sara   task 1 right; her outputs (Javascript, <script>, <img onerror>) and a markdown cell she edits try to
         change the page's title and read /api/contents in the formgrader and the feedback
         (tests/browser/test_student_scripts.py)

Students who attack the sandbox's limits per kernel (grader/smiley_grader/sandbox_kernel.py's watchdog):
  wout   correct, but his max_pool starts 4 helper processes of 600 MB each: each is far below the
         limit per process, together they pass the sandbox's memory cap, which stops the kernel
  xander correct, but his max_pool fills /dev/shm (memory) until it is full: it holds 64 MB

Dutch students who attack the time limits of a Dutch assignment (`lagen` had no notebook limit):
  yara   correct, but first 4 cells that think for 25 s each: every one under the cell timeout,
         together past the notebook limit, which stops her before her first test
  yentl  her first answer ignores the interrupt at the cell timeout and loops for ever: the
         kernel is stopped and the tests after it count as not run
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
leon    0 0 0 0 0 0 0 0
olga    0 0 0 0 0 0 0 0
vera    2 2 1 2 2 3 2 3
lena    0 0 0 0 0 0 0 0
max     0 0 0 0 0 0 0 0
nora    0 0 0 0 0 0 0 0
omar    0 0 0 0 0 0 0 0
pia     0 0 0 0 0 0 0 0
rik     2 2 1 2 2 3 2 3
tara    0 0 0 0 0 0 0 0
ugo     2 2 1 2 2 3 2 3
sara    2 2 1 0 0 0 0 0
wout    2 2 1 2 2 3 0 0
xander  2 2 1 2 2 3 0 3
"""

BREAK_COLUMNS = ("no_batchnorm", "no_conv2d", "only_dense", "smallest_break", "question_smallest_break",
                 "never_remove", "never_remove_why", "doctor_a", "doctor_b", "doctor_c", "doctor_why",
                 "question_batchnorm", "question_conv2d", "question_dense")
BREAK = """
ada     2 2 2 3 m 2 m 1 1 1 m m m m
bert    0 0 0 0 0 0 0 0 0 0 0 0 0 0
dirk    0 0 0 0 m 0 m 0 0 0 m m m m
fred    2 0 0 0 0 0 0 0 0 0 0 0 0 0
mats    0 0 0 0 0 0 0 0 0 0 0 0 0 0
noor    0 0 0 0 0 0 0 0 0 0 0 0 0 0
otto    0 0 0 0 0 0 0 0 0 0 0 0 0 0
tara    0 0 0 0 0 0 0 0 0 0 0 0 0 0
klara   0 0 0 0 0 0 0 0 0 0 0 0 0 0
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
# Its class is the original students (make_submissions.DUTCH_CLASS); the cheaters grade in English.
DUTCH_CLASS = {"lagen": ("layers", {"ada", "bert", "chloe", "dirk", "emma", "finn", "gina", "hugo", "ines", "jon", "kim"}),
               "breek_het_model": ("break_the_model", {"ada", "bert", "dirk"})}
EXPECTED |= {dutch: {s: row for s, row in EXPECTED[english].items() if s in who}
             for dutch, (english, who) in DUTCH_CLASS.items()}
# Students only in the Dutch class (make_submissions.lagen_only_class).
LAGEN_ONLY = """
yara    0 0 0 0 0 0 0 0
yentl   0 0 0 0 0 0 0 0
"""
EXPECTED["lagen"] |= _table(LAGEN_ONLY, LAYERS_COLUMNS)
# The cheating, crashing, looping and memory-hungry students: for the "others are unaffected" checks.
ODD = {"emma", "finn", "gina", "hugo", "ines", "jon", "kim", "leon", "olga", "lena", "max", "nora", "omar", "pia", "rik",
       "tara", "ugo", "sara", "wout", "xander"}
# The students who attack the grading, and the note the sandbox leaves for each (classgrading/notes.py).
ATTACKS = {
    "lena": {"grade.note.files"},
    "max": {"grade.note.files"},
    "nora": {"grade.note.files"},
    "omar": {"grade.note.processes", "grade.note.file_size", "grade.note.left_running"},
    "pia": {"grade.note.network"},
    "rik": {"grade.note.left_running"},
    "ugo": {"grade.note.output_cut"},
    "wout": {"grade.note.memory_total"},
    "xander": {"grade.note.disk"},
}
# The example course's small limits (smiley_grader.demo_cycle.EXAMPLE_LIMITS) that these attacks meet.
LAGEN_ATTACKS = {"yara": "NotebookTimeLimit", "yentl": "InterruptIgnored"}
