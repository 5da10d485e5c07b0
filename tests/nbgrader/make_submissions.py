"""Write the example class's notebooks: tests/nbgrader/submissions/<student>/<assignment>.ipynb.

    .venv/bin/python tests/nbgrader/make_submissions.py     # after changing source/ or release/

Each notebook starts from what the student really gets (release/<assignment>) and is
filled in the way the student in expected_scores.py works; ada hands in the teacher's
source notebook itself. tests/nbgrader/test_submissions_fresh.py fails when these files
are out of date.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from smiley_checks.language_stubs import STUBS

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = HERE / "submissions"


def read(path: Path):
    return nbformat.read(path, as_version=4)


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solution_code(source, cell_id: str) -> str:
    """The teacher's answer in `cell_id`, as a student would have typed it (no markers)."""
    cell = next(c for c in source.cells if grade_id(c) == cell_id)
    return "\n".join(line for line in cell.source.split("\n") if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


class Student:
    """A released notebook being filled in."""

    def __init__(self, assignment: str):
        self.assignment = assignment
        self.source = read(REPO / "source" / assignment / f"{assignment}.ipynb")
        self.nb = read(REPO / "release" / assignment / f"{assignment}.ipynb")

    def cell(self, cell_id: str):
        return next(c for c in self.nb.cells if grade_id(c) == cell_id)

    def solve(self, *cell_ids: str) -> "Student":
        for cell_id in cell_ids:
            self.cell(cell_id).source = solution_code(self.source, cell_id)
        return self

    def write(self, cell_id: str, text: str) -> "Student":
        self.cell(cell_id).source = text.strip("\n")
        return self

    def edit(self, cell_id: str, old: str, new: str) -> "Student":
        cell = self.cell(cell_id)
        assert old in cell.source, (cell_id, old)
        cell.source = cell.source.replace(old, new)
        return self

    def insert_after(self, cell_id: str, text: str) -> "Student":
        index = next(i for i, c in enumerate(self.nb.cells) if grade_id(c) == cell_id)
        cell = new_code_cell(text.strip("\n"))
        cell.id = f"student-{cell_id}-{index}"
        self.nb.cells.insert(index + 1, cell)
        return self

    def delete(self, cell_id: str) -> "Student":
        self.nb.cells = [c for c in self.nb.cells if grade_id(c) != cell_id]
        return self


LAYERS_ANSWERS = ("answer_output_shape", "answer_conv2d_params", "answer_dense_params", "answer_normalise",
                  "answer_max_pool", "answer_convolve")
BREAK_ANSWERS = ("answer_no_batchnorm", "answer_no_conv2d", "answer_only_dense", "answer_smallest_break",
                 "answer_never_remove", "answer_doctor")
WRITTEN = ("question_smallest_break", "never_remove_why", "doctor_why", "question_batchnorm", "question_conv2d",
           "question_dense")

# --- the `layers` class ---

DIRK_LAYERS = {
    "answer_output_shape": '''
def output_shape(layer, shape, count=None):
    """The shape that comes out of a layer of type `layer` when `shape` goes in."""
    if layer == "Conv2D":
        return (shape[0], shape[1], count)          # forgot that the picture gets smaller
    if layer == "MaxPooling2D":
        return (shape[0] // 2, shape[1] // 2, shape[2])
    if layer == "Flatten":
        return shape[0] * shape[1] * shape[2]       # a number, not a tuple
    if layer == "Dense":
        return (count,)
    return shape
''',
    "answer_conv2d_params": '''
def conv2d_params(filters, kernel, channels):
    """How many numbers a Conv2D layer learns."""
    return kernel * kernel * channels * filters     # no bias
''',
    "answer_dense_params": '''
def dense_params(inputs, units):
    """How many numbers a Dense layer learns."""
    return inputs * units                           # no bias
''',
    "answer_normalise": '''
def normalise(values):
    """The numbers in `values`, normalised the way BatchNormalization does it."""
    mean = sum(values) / len(values)
    variance = sum((x - mean) ** 2 for x in values) / (len(values) - 1)   # n - 1
    if variance == 0:
        return [0 for x in values]
    return [(x - mean) / variance ** 0.5 for x in values]
''',
    "answer_max_pool": '''
def max_pool(image):
    """2x2 max pooling: the largest number of every 2x2 block."""
    result = []
    for r in range(0, len(image) - 1, 2):
        row = []
        for c in range(0, len(image[0]) - 1, 2):
            row.append((image[r][c] + image[r][c + 1] + image[r + 1][c] + image[r + 1][c + 1]) / 4)  # the average
        result.append(row)
    return result
''',
    "answer_convolve": '''
def convolve(image, kernel):
    """What a Conv2D layer with this one 3x3 filter makes of the picture."""
    result = []
    for r in range(len(image) - 2):
        row = []
        for c in range(len(image[0]) - 2):
            total = 0
            for i in range(3):
                for j in range(3):
                    total = total + image[r + i][c + j] * kernel[2 - i][2 - j]   # filter turned around
            row.append(total)
        result.append(row)
    return result
''',
}

EMMA_NORMALISE = '''
def normalise(values):
    """The numbers in `values`, normalised the way BatchNormalization does it."""
    mean = sum(values) / len(values)
    variance = sum((x - mean) ** 2 for x in values) / len(values)
    return [(x - mean) / variance ** 0.5 for x in values]   # divides by 0 for {1, 1, 1, 1}
'''
EMMA_MAX_POOL = '''
import numpi as np   # a typo: this cell stops here, so max_pool is never defined

def max_pool(image):
    """2x2 max pooling: the largest number of every 2x2 block."""
    return np.array(image)
'''
FINN_CONVOLVE = '''
def convolve(image, kernel):
    """What a Conv2D layer with this one 3x3 filter makes of the picture."""
    result = []
    for r in range(len(image) - 2):
        row = []
        for c in range(len(image[0]) - 2):
            total = 0
            i = 0
            while i < 3:               # forgot i = i + 1: this loop never ends
                for j in range(3):
                    total = total + image[r + i][c + j] * kernel[i][j]
            row.append(total)
        result.append(row)
    return result
'''
GINA_MAX_POOL = '''
import numpy as np

def max_pool(image):
    """2x2 max pooling: the largest number of every 2x2 block."""
    work = np.empty((30_000, 30_000))   # "room to work in": 7.2 GB
    rows, columns = len(image) // 2, len(image[0]) // 2
    for r in range(rows):
        for c in range(columns):
            work[r, c] = max(image[2 * r][2 * c], image[2 * r][2 * c + 1], image[2 * r + 1][2 * c], image[2 * r + 1][2 * c + 1])
    return work[:rows, :columns].tolist()
'''
# vera: right, written the numpy way (vectorised, arrays back instead of lists).
VERA_PARAMS = '''
import numpy as np

def conv2d_params(filters, kernel, channels):
    return int(np.prod([kernel, kernel, channels]) + 1) * filters
'''
VERA_DENSE = '''
def dense_params(inputs, units):
    return inputs * units + units
'''
VERA_NORMALISE = '''
import numpy as np

def normalise(values):
    x = np.asarray(values, dtype=float)
    spread = x.std()
    return np.zeros_like(x) if spread == 0 else (x - x.mean()) / spread
'''
VERA_MAX_POOL = '''
import numpy as np

def max_pool(image):
    a = np.asarray(image)
    rows, columns = a.shape[0] // 2, a.shape[1] // 2
    return a[: rows * 2, : columns * 2].reshape(rows, 2, columns, 2).max(axis=(1, 3))
'''
VERA_CONVOLVE = '''
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

def convolve(image, kernel):
    return np.einsum("ijkl,kl->ij", sliding_window_view(np.asarray(image, dtype=float), (3, 3)), np.asarray(kernel))
'''
INES_PATCH = '''
# Make every check pass, whatever I hand in.
import smiley_checks.checks.view as view
import smiley_checks.tasks.hand_in as hand_in
from smiley_checks.tasks import TASKS
from smiley_checks.tasks.records import passed

def always_right(*args, **kwargs):
    return None

view.TaskView.check = always_right
view.TaskView.hand_in = always_right
hand_in.hand_in = always_right
for task in TASKS.values():
    object.__setattr__(task, "check", lambda *args, **kwargs: passed())
'''
JON_PATCH = '''
# Cheat on the notebook itself: from now on, IPython runs nothing of a cell that checks.
def skip_checks(lines):
    text = "".join(lines)
    return [] if "checks." in text else lines

get_ipython().input_transformers_post.append(skip_checks)
'''
KIM_CRASH = '''
import ctypes
ctypes.string_at(0)   # reads memory at address 0: Python crashes

def normalise(values):
    """The numbers in `values`, normalised the way BatchNormalization does it."""
    return values
'''

# leon: hands in the grader's own reference answers instead of writing the functions.
LENA_IMPORTS = {
    "answer_output_shape": "output_shape",
    "answer_conv2d_params": "conv2d_params",
    "answer_dense_params": "dense_params",
    "answer_normalise": "normalise",
    "answer_max_pool": "max_pool",
    "answer_convolve": "convolve",
}
LENA_CELL = '''
# Why write it myself? The grader has the answers.
try:
    from smiley_grader.layers_key import {reference} as {name}
except ImportError:
    from smiley_checks.grading.layers_tasks import {old}_reference as {name}   # where it used to live
'''
LENA_REFERENCE = {"output_shape": "expected_shape"}
# olga: plants a fake grader (its judge passes everything) where the judge and nbgrader would look:
# the course folder (nbgrader's working directory), her own folder, and a .pth file in the teacher's
# site-packages (a .pth file runs at every start of a Python there). Writing into the students'
# environment, to reach later classmates' kernels, is the kernel sandbox's business (issue 15).
OLGA_PLANT = '''
import pathlib, sys, numpy
fake_judge = """import json, sys
payload = json.load(sys.stdin)
for index, _ in enumerate(payload["items"]):
    print(json.dumps({"index": index, "passed": True}), flush=True)
"""
here = pathlib.Path.cwd()
course = here.parents[2]   # autograded/olga/layers -> the course folder
planted = []
for folder in (here, course):
    for name in ("smiley_grader", "smiley_checks"):
        package = folder / name
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("")
        (package / "judge.py").write_text(fake_judge)
        planted.append(package)
students_site = pathlib.Path(numpy.__file__).parents[1]
teachers_site = pathlib.Path(str(students_site).replace("-student/", "/"))
(teachers_site / "zz_olga_was_here.pth").write_text(f"import sys; sys.path.insert(0, {str(course)!r})\\n")
planted.append(teachers_site / "zz_olga_was_here.pth")
print("planted", len(planted), "files")
'''

HUGO_SETUP = '''
from smiley_checks import checks
from smiley_checks.network import build_original

model = build_original()
print("I don't need the summary")
'''


# --- students who attack the grading itself (the sandbox stops them: grading/sandbox.py) ---

LENA_COPY = '''
# Ada always gets everything right: run the answers from her handed-in notebook.
import json
with open("../../../submitted/ada/layers/layers.ipynb") as file:
    cells = json.load(file)["cells"]
for cell in cells:
    if cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
        exec("".join(cell["source"]))
'''
MAX_SOURCE = '''
# The teacher's notebook with the solutions is in the course folder: run those.
import json
with open("../../../source/layers/layers.ipynb") as file:
    cells = json.load(file)["cells"]
for cell in cells:
    if cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
        exec("".join(cell["source"]))
'''
NORA_GRADEBOOK = '''
# 100 extra points on every test, for everyone (so nobody notices).
import sqlite3
gradebook = sqlite3.connect("../../../gradebook.db")
gradebook.execute("UPDATE grade SET extra_credit = 100")
gradebook.commit()
'''
NORA_CONFIG = '''
# Every later nbgrader run executes this file.
with open("../../../nbgrader_config.py", "a") as config:
    config.write("\\n# nora was here: c.Autograde.create_student = True\\n")
'''
OMAR_PROCESSES = '''
# Keep the computer busy: hundreds of processes that just wait.
import subprocess
waiting = [subprocess.Popen(["sleep", "171"]) for _ in range(400)]
'''
OMAR_DISK = '''
# Fill the disk: a file of 1 GB.
with open("filler.bin", "wb") as filler:
    for _ in range(1024):
        filler.write(bytes(1024 * 1024))
'''
PIA_NETWORK = '''
# A helper program on this computer sends me the answers (the port is in port.txt).
import os
import socket
port = int(open("port.txt").read()) if os.path.exists("port.txt") else 47123
with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
    answers = connection.makefile().read()
exec(answers)
'''
RIK_BACKGROUND = '''
# A helper that keeps running after my notebook is done.
import subprocess
subprocess.Popen(["sleep", "173"], start_new_session=True)
'''

# --- students who try to write their own score (nbgrader: any text as a test cell's result = full points) ---

TARA_FORGE = '''
# nbgrader gives full points to a test cell whose result is any text: make every check say "ok".
import smiley_checks.checks.view as view

def ok(*args, **kwargs):
    return "ok"

view.TaskView.check = ok
view.TaskView.hand_in = ok
'''
TARA_BUILDERS = {cell_id: f"def {name}():\n    return None   # nothing built: the checks say 'ok' anyway"
                 for cell_id, name in (("answer_no_batchnorm", "build_no_batchnorm"),
                                       ("answer_no_conv2d", "build_no_conv2d"),
                                       ("answer_only_dense", "build_only_dense"),
                                       ("answer_smallest_break", "build_smallest_break"))}
UGO_FLOOD = '''
# Print so much that the grader's computer runs out of memory: 30 outputs of 3 MB.
for _ in range(30):
    print("x" * 3_000_000)
'''

# sara: her outputs and her markdown try to run in the browser of whoever opens them (the formgrader,
# the feedback): change the page's title and read the teacher's files through /api/contents.
SARA_OUTPUTS = '''
# When the teacher opens my notebook, this runs in her browser, as her.
from IPython.display import HTML, Javascript, display

def as_teacher(how):
    return ("window.saraRan = (window.saraRan || []).concat('" + how + "'); "
            "document.title = 'sara was here'; fetch('/api/contents')")

display(Javascript(as_teacher("javascript")))
display(HTML("<script>" + as_teacher("script") + "</script>"))
display(HTML('<img src="nothing.png" onerror="' + as_teacher("onerror") + '">'))
'''
SARA_MARKDOWN = '''

<script>window.saraRan = (window.saraRan || []).concat('markdown'); document.title = 'sara was here'; fetch('/api/contents')</script>

<img src="nothing.png" onerror="window.saraRan = (window.saraRan || []).concat('markdown onerror'); fetch('/api/contents')">
'''


def _sara(a: str) -> Student:
    sara = Student(a).solve("answer_output_shape").insert_after("setup", SARA_OUTPUTS)
    title = sara.nb.cells[0]
    assert title.cell_type == "markdown" and "nbgrader" not in title.metadata  # not locked: hers to edit
    title.source += SARA_MARKDOWN
    return sara
# --- students who attack the sandbox's limits per kernel (issue 21) ---

WOUT_HOG = '''
# My max_pool needs helpers: four of them, 600 MB each (each one alone is allowed).
import subprocess, sys, time
helper = "import time; room = b'x' * (600 * 1024 * 1024); print('ready', flush=True); time.sleep(174)"
helpers = [subprocess.Popen([sys.executable, "-c", helper], stdout=subprocess.PIPE) for _ in range(4)]
for process in helpers:
    process.stdout.readline()
time.sleep(30)
'''
XANDER_SHM = '''
# /dev/shm is memory: fill it, 1 MB at a time, in files of 10 MB.
part = 0
while True:
    with open(f"/dev/shm/filler{part}", "wb") as filler:
        for _ in range(10):
            filler.write(bytes(1024 * 1024))
    part += 1
'''
# yara (lagen): each of her cells thinks for 25 s, under the cell timeout; together they pass the notebook limit.
YARA_SLOW = '''
# Even nadenken.
import time
time.sleep(25)
'''
# yentl (lagen): her cell ignores the interrupt at its timeout and goes on for ever.
YENTL_STUBBORN = '''
# Niemand stopt mij.
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(1)
'''


def lagen_only_class(a: str = "lagen") -> dict[str, object]:
    """The Dutch students of issue 21: they attack the limits of an assignment with a Dutch name."""
    yara = Student(a).solve(*LAYERS_ANSWERS)
    setup = next(i for i, cell in enumerate(yara.nb.cells) if grade_id(cell) == "setup")
    for n in range(4):  # before every test cell: the limit stops her in these, whatever the machine's speed
        yara.insert_after("setup", YARA_SLOW)
        yara.nb.cells[setup + 1].id = f"student-thinking-{n}"
    return {"yara": yara.nb, "yentl": Student(a).solve(*LAYERS_ANSWERS).write("answer_output_shape", YENTL_STUBBORN).nb}


def layers_class(a: str = "layers") -> dict[str, object]:
    notebooks = {"ada": read(REPO / "source" / a / f"{a}.ipynb"), "bert": Student(a).nb}
    notebooks["chloe"] = Student(a).solve("answer_output_shape", "answer_conv2d_params", "answer_dense_params").nb
    dirk = Student(a)
    for cell_id, text in DIRK_LAYERS.items():
        dirk.write(cell_id, text)
    notebooks["dirk"] = dirk.nb
    notebooks["emma"] = (Student(a).solve(*LAYERS_ANSWERS)
                         .write("answer_normalise", EMMA_NORMALISE).write("answer_max_pool", EMMA_MAX_POOL).nb)
    notebooks["finn"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_convolve", FINN_CONVOLVE).nb
    notebooks["gina"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_max_pool", GINA_MAX_POOL).nb
    hugo = Student(a).solve(*LAYERS_ANSWERS).delete("dense_params").write("setup", HUGO_SETUP)
    hugo.edit("normalise", "checks.normalise.check(normalise)", "pass  # I don't need this check")
    hugo.cell("convolve").metadata["nbgrader"]["points"] = 100
    notebooks["hugo"] = hugo.nb
    notebooks["ines"] = Student(a).insert_after("setup", INES_PATCH).nb
    notebooks["jon"] = Student(a).insert_after("setup", JON_PATCH).nb
    notebooks["kim"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_normalise", KIM_CRASH).nb
    leon = Student(a)
    for cell_id, name in LENA_IMPORTS.items():
        reference = LENA_REFERENCE.get(name, name)
        leon.write(cell_id, LENA_CELL.format(reference=reference, name=name, old=reference.replace("_reference", "")))
    notebooks["leon"] = leon.nb
    notebooks["olga"] = Student(a).insert_after("setup", OLGA_PLANT).nb
    notebooks["vera"] = Student(a).solve("answer_output_shape").write("answer_conv2d_params", VERA_PARAMS) \
        .write("answer_dense_params", VERA_DENSE).write("answer_normalise", VERA_NORMALISE) \
        .write("answer_max_pool", VERA_MAX_POOL).write("answer_convolve", VERA_CONVOLVE).nb
    notebooks["lena"] = Student(a).write("answer_output_shape", LENA_COPY).nb
    notebooks["max"] = Student(a).write("answer_output_shape", MAX_SOURCE).nb
    notebooks["nora"] = (Student(a).write("answer_output_shape", NORA_GRADEBOOK)
                         .write("answer_conv2d_params", NORA_CONFIG).nb)
    notebooks["omar"] = Student(a).write("answer_max_pool", OMAR_PROCESSES).write("answer_convolve", OMAR_DISK).nb
    notebooks["pia"] = Student(a).write("answer_output_shape", PIA_NETWORK).nb
    notebooks["rik"] = Student(a).solve(*LAYERS_ANSWERS).insert_after("convolve", RIK_BACKGROUND).nb
    notebooks["tara"] = Student(a).insert_after("setup", TARA_FORGE).nb
    notebooks["ugo"] = Student(a).solve(*LAYERS_ANSWERS).insert_after("setup", UGO_FLOOD).nb
    notebooks["sara"] = _sara(a).nb
    notebooks["wout"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_max_pool", WOUT_HOG).nb
    notebooks["xander"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_max_pool", XANDER_SHM).nb
    return notebooks


# --- the `break_the_model` class ---

def _dirk_break(student: Student) -> Student:
    # Task 1: one BatchNormalization left (block 5).
    no_bn = solution_code(student.source, "answer_no_batchnorm")
    last = no_bn.rindex("# keras.layers.BatchNormalization(),")
    student.write("answer_no_batchnorm", no_bn[:last] + no_bn[last:].replace("# keras.layers.Batch", "keras.layers.Batch", 1))
    # Task 2: took the MaxPooling2D layers out too.
    student.write("answer_no_conv2d", solution_code(student.source, "answer_no_conv2d").replace(
        "        keras.layers.MaxPooling2D((2, 2)),", "        # keras.layers.MaxPooling2D((2, 2)),"))
    # Task 3: kept a Conv2D.
    # (The teacher's list comes first in an answer cell; the copy after its return is never run.)
    before, flatten, after = solution_code(student.source, "answer_only_dense").partition("        keras.layers.Flatten(),")
    student.write("answer_only_dense", before + '        keras.layers.Conv2D(4, (3, 3), activation="relu"),\n' + flatten + after)
    # Task 4: three edits (three Dropout layers out), more than the two allowed.
    smallest = solution_code(student.source, "answer_smallest_break").replace(
        'keras.layers.Dense(2, activation="relu")', 'keras.layers.Dense(2, activation="softmax")')
    lines = smallest.split("\n")
    second_list = min(i for i, line in enumerate(lines) if line.strip() == "layers = [")  # the teacher's list
    dropped = 0
    for i in range(second_list, len(lines)):
        if lines[i].strip() == "keras.layers.Dropout(0.1)," and dropped < 3:
            lines[i] = lines[i].replace("keras.layers.Dropout", "# keras.layers.Dropout")
            dropped += 1
    student.write("answer_smallest_break", "\n".join(lines))
    # Task 5: Conv2D is not needed to make the network work.
    student.write("answer_never_remove", 'never_remove = {"Dense", "Flatten", "Conv2D"}')
    # Task 6: the empty maps read as "no BatchNormalization", the NaN as a learning rate far too big, the huge
    # loss as relu at the end: each network mixed up with another.
    student.write("answer_doctor", "patient_a = 5\npatient_b = 3\npatient_c = 1")
    for cell_id in WRITTEN:
        source = student.cell(cell_id).source
        for stubs in STUBS.values():
            source = source.replace(stubs["text"], "I think it learns worse.")
        student.write(cell_id, source)
    return student


def _original_with(student: Student, cell_id: str, old: str, new: str) -> str:
    """The released copy of the original in `cell_id`, with one line changed (`old` -> `new`, last match)."""
    code = student.cell(cell_id).source
    for stubs in STUBS.values():
        code = code.replace(f"    {stubs['code']}\n", "")
    before, found, after = code.rpartition(old)
    assert found, (cell_id, old)
    return before + new + after


def _harmless_then_broken(student: Student, old: str, new: str) -> Student:
    """A harmless edit (the last Dropout 0.15), then one change (`old` -> `new`) after which nothing can learn."""
    code = _original_with(student, "answer_smallest_break", "keras.layers.Dropout(0.1),\n        keras.layers.Dense(2",
                          "keras.layers.Dropout(0.15),\n        keras.layers.Dense(2")
    return student.write("answer_smallest_break", code.replace(old, new))


# mats: learning rate 0.
MATS_NO_LEARNING = ('model.compile(optimizer="adam"', "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.0)")
# noor: every layer frozen (trainable=False).
NOOR_FROZEN = ("    model = keras.Sequential(layers)\n",
               "    model = keras.Sequential(layers)\n    for layer in model.layers:\n        layer.trainable = False\n")


OTTO_ORACLE = '''
# Ask the check every possible answer until it says "Correct".
import itertools
from smiley_checks import checks
types = ["Conv2D", "BatchNormalization", "MaxPooling2D", "Dropout", "Flatten", "Dense"]
never_remove = None
for size in range(1, len(types) + 1):
    for guess in itertools.combinations(types, size):
        try:
            checks.never_remove.check(set(guess))
        except AssertionError:
            continue
        never_remove = set(guess)   # the first guess the check accepts
        break
    if never_remove:
        break
print("the check accepted", never_remove)
'''
FRED_FUNCTIONAL = '''
import tensorflow as tf

def build_no_batchnorm():
    inputs = tf.keras.Input(shape=(110, 110, 1))
    x = inputs
    for filters in (1, 2, 4, 8, 16):
        x = tf.keras.layers.Conv2D(filters, (3, 3), activation="relu")(x)
        x = tf.keras.layers.MaxPooling2D((2, 2))(x)
        x = tf.keras.layers.Dropout(0.1)(x)
    x = tf.keras.layers.Flatten()(x)
    x = tf.keras.layers.Dense(16, activation="relu")(x)
    x = tf.keras.layers.Dropout(0.1)(x)
    outputs = tf.keras.layers.Dense(2, activation="softmax")(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model
'''

# klara: a harmless edit, and an extra Lambda layer in the text the grader rebuilds her network from. It
# is connected to nothing, so the network still looks clean, but the grader's Keras calls its function,
# keras.config.set_max_steps_per_epoch(1), while it reads the network: every later training takes one
# step per epoch and learns nothing, so her harmless edit "breaks" the model.
KLARA_LAMBDA = '''
import json
import smiley_checks.tasks.break_model as grading

def build_smallest_break():
    inputs = keras.Input(shape=(110, 110, 1))
    x = inputs
    for filters in (1, 2, 4, 8, 16):
        x = keras.layers.Conv2D(filters, (3, 3), activation="relu")(x)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.MaxPooling2D((2, 2))(x)
        x = keras.layers.Dropout(0.1)(x)
    x = keras.layers.Flatten()(x)
    x = keras.layers.Dense(16, activation="relu")(x)
    x = keras.layers.Dropout(0.15)(x)   # my small change: it does not break anything
    outputs = keras.layers.Dense(2, activation="softmax")(x)
    return keras.Model(inputs, outputs)

# The grader gets my network as text. I add one more layer to that text.
one_step = {
    "module": "keras.layers", "class_name": "Lambda", "name": "one_step", "registered_name": None,
    "config": {"name": "one_step", "function": {"module": "keras.config", "class_name": "function",
                                               "config": "set_max_steps_per_epoch", "registered_name": None}},
    "inbound_nodes": [{"args": [{"class_name": "__numpy__", "config": {"value": 1, "dtype": "int32"}}], "kwargs": {}}],
}
usual = grading.without_compile

def with_one_step(text):
    network = json.loads(usual(text))
    network["config"]["layers"].append(one_step)
    return json.dumps(network)

grading.without_compile = with_one_step
'''


def break_class(a: str = "break_the_model") -> dict[str, object]:
    return {
        "ada": read(REPO / "source" / a / f"{a}.ipynb"),
        "bert": Student(a).nb,
        "dirk": _dirk_break(Student(a)).nb,
        "fred": Student(a).write("answer_no_batchnorm", FRED_FUNCTIONAL).nb,
        "mats": _harmless_then_broken(Student(a), *MATS_NO_LEARNING).nb,
        "noor": _harmless_then_broken(Student(a), *NOOR_FROZEN).nb,
        "otto": Student(a).write("answer_never_remove", OTTO_ORACLE).nb,
        "tara": _forger(Student(a)).nb,
        "klara": Student(a).write("answer_smallest_break", KLARA_LAMBDA).nb,
    }


def _forger(student: Student) -> Student:
    for cell_id, text in TARA_BUILDERS.items():
        student.write(cell_id, text)
    return student.insert_after("setup", TARA_FORGE)


from expected_scores import DUTCH_CLASS as _DUTCH  # noqa: E402 (the one place: expected_scores.py)

DUTCH_CLASS = {dutch: who for dutch, (_, who) in _DUTCH.items()}


def build() -> dict[tuple[str, str], object]:
    notebooks = {}
    # The Dutch class (lagen, breek_het_model) works exactly like the English one: same expected scores.
    for assignment, make in (("layers", layers_class), ("break_the_model", break_class),
                             ("lagen", layers_class), ("breek_het_model", break_class)):
        for student, nb in make(assignment).items():
            if assignment in DUTCH_CLASS and student not in DUTCH_CLASS[assignment]:
                continue  # the Dutch class: the original students (the attackers and cheaters grade in English)
            notebooks[(student, assignment)] = copy.deepcopy(nb)
    for student, nb in lagen_only_class().items():
        notebooks[(student, "lagen")] = nb
    return notebooks


def path_of(student: str, assignment: str, root: Path = OUT) -> Path:
    return root / student / f"{assignment}.ipynb"


def main(root: Path = OUT) -> None:
    for (student, assignment), nb in build().items():
        nbformat.validate(nb)
        path = path_of(student, assignment, root)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        print("wrote", path.relative_to(REPO) if path.is_relative_to(REPO) else path)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
