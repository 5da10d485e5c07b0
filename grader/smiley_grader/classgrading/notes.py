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
    "NotebookTimeLimit": "grade.note.notebook_time",
    "SandboxMemoryLimit": "grade.note.memory_total",
    "InterruptIgnored": "grade.note.interrupt_ignored",
    "BlockingIOError": "grade.note.processes",
    "ConnectionRefusedError": "grade.note.network",
    "FileNotFoundError": "grade.note.files",
    "PermissionError": "grade.note.files",
}
# words in an error's message -> message key (what the sandbox's limits look like from inside)
TEXTS = {
    "MemoryError": "grade.note.memory",
    "Resource temporarily unavailable": "grade.note.processes",
    "File too large": "grade.note.file_size",
    "No space left on device": "grade.note.disk",
    "Network is unreachable": "grade.note.network",
    "Temporary failure in name resolution": "grade.note.network",
    "Read-only file system": "grade.note.files",
    "unable to open database file": "grade.note.files",
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
                text = str(output.get("evalue", ""))
                key = KINDS.get(name) or next((k for words, k in TEXTS.items() if words in text), None)
                if key and key not in found:
                    found.append(key)
    return found
