"""What went wrong inside a graded notebook, in a few words for the teacher.

The custom Execute step (grading/nbgrader_plugin.py) keeps grading when the kernel dies,
a cell times out or memory runs out; the student is graded, and these notes say why
some of their cells got 0.
"""

from __future__ import annotations

from pathlib import Path

from smiley_grader.classgrading.students import autograded_notebooks

# error name in a cell output -> message key
KINDS = {
    "KernelDied": "grade.note.kernel_died",
    "CellTimeoutError": "grade.note.timeout",
    "KeyboardInterrupt": "grade.note.timeout",
    "MemoryError": "grade.note.memory",
}


def note_text(note: str) -> str:
    """A note is kept as its message key (the state file is language-free); this is its text."""
    from smiley_checks.messages import catalogue, say

    return say(note) if note in catalogue() else note


def notebook_notes(course_root: Path, student: str, assignment: str) -> list[str]:
    """Message keys of what went wrong in the student's autograded notebook(s)."""
    import nbformat

    found: list[str] = []
    for path in autograded_notebooks(course_root, student, assignment):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                name = output.get("ename", "")
                key = KINDS.get(name) or ("grade.note.memory" if "MemoryError" in str(output.get("evalue", "")) else None)
                if key and key not in found:
                    found.append(key)
    return found
