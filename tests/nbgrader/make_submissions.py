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
                 "answer_never_remove")
WRITTEN = ("question_smallest_break", "never_remove_why", "question_batchnorm", "question_conv2d", "question_dense")

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
INES_PATCH = '''
# Make every check pass, whatever I hand in.
import smiley_checks.grading.public as public
import smiley_checks.grading.hidden as hidden
import smiley_checks.grading.layers_tasks as layers_tasks
from smiley_checks.grading.records import Outcome

def always_right(*args, **kwargs):
    return None

for module in (public, hidden):
    for name in dir(module):
        if not name.startswith("_") and name not in ("fresh", "NotYet", "TASKS", "MIME") and callable(getattr(module, name)):
            setattr(module, name, always_right)
for task in layers_tasks.TASKS:
    object.__setattr__(task, "judge", lambda *args, **kwargs: Outcome(True))
'''
JON_PATCH = '''
# Cheat on the notebook itself: from now on, IPython runs nothing of a cell that checks.
def skip_checks(lines):
    text = "".join(lines)
    return [] if "check." in text or "grade." in text else lines

get_ipython().input_transformers_post.append(skip_checks)
'''
KIM_CRASH = '''
import ctypes
ctypes.string_at(0)   # reads memory at address 0: Python crashes

def normalise(values):
    """The numbers in `values`, normalised the way BatchNormalization does it."""
    return values
'''

HUGO_SETUP = '''
from smiley_checks.grading import public as check
from smiley_checks.network import build_original

model = build_original()
print("I don't need the summary")
'''


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
    hugo.edit("normalise", "check.normalise(normalise)", "pass  # I don't need this check")
    hugo.cell("convolve").metadata["nbgrader"]["points"] = 100
    notebooks["hugo"] = hugo.nb
    notebooks["ines"] = Student(a).insert_after("setup", INES_PATCH).nb
    notebooks["jon"] = Student(a).insert_after("setup", JON_PATCH).nb
    notebooks["kim"] = Student(a).solve(*LAYERS_ANSWERS).write("answer_normalise", KIM_CRASH).nb
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
    for cell_id in WRITTEN:
        student.write(cell_id, student.cell(cell_id).source.replace("YOUR ANSWER HERE", "I think it learns worse."))
    return student


def break_class(a: str = "break_the_model") -> dict[str, object]:
    return {
        "ada": read(REPO / "source" / a / f"{a}.ipynb"),
        "bert": Student(a).nb,
        "dirk": _dirk_break(Student(a)).nb,
    }


def build() -> dict[tuple[str, str], object]:
    notebooks = {}
    # The Dutch class (lagen, breek_het_model) works exactly like the English one: same expected scores.
    for assignment, make in (("layers", layers_class), ("break_the_model", break_class),
                             ("lagen", layers_class), ("breek_het_model", break_class)):
        for student, nb in make(assignment).items():
            notebooks[(student, assignment)] = copy.deepcopy(nb)
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
