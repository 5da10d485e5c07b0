"""After grading, each task's model answer goes into the graded notebook, so the feedback has it.

The model answers are the teacher's own: the solution regions of the course's source notebook
(the gradebook only keeps the released cells). A test cell gets
the solution of the answer cell that defines its task's answer (`def normalise(` or
`never_remove =`); a written answer gets the teacher's text in a cell right below it. Nothing of
this is in the student package or the released notebooks.
"""

from __future__ import annotations

import re

from nbformat.v4 import new_markdown_cell, new_output

from smiley_checks.messages import say

SOLUTION = re.compile(r"^[ \t]*#*[ \t]*BEGIN SOLUTION[ \t]*\n(.*?)\n[ \t]*#*[ \t]*END SOLUTION", re.S | re.M)
MARK = "smiley_checks_model_answer"


def solution_text(source: str) -> str:
    """The teacher's lines between BEGIN SOLUTION and END SOLUTION, without the markers."""
    parts = SOLUTION.findall(source)
    if not parts:
        return ""
    lines = "\n".join(parts).splitlines()
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines).strip("\n")


def teacher_cells(source_notebook) -> dict[str, tuple[str, str]]:
    """grade_id -> (cell type, source) of the teacher's source notebook."""
    import nbformat

    nb = nbformat.read(source_notebook, as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: (cell.cell_type, cell.source) for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade_id")}


def defines(source: str, name: str) -> bool:
    return bool(re.search(rf"^(def {re.escape(name)}\(|{re.escape(name)}\s*=)", source, re.M))


def model_code(source: str, name: str) -> str:
    """The solution region; for a function, under its def line (the region is only its body)."""
    region = solution_text(source)
    header = re.search(rf"^def {re.escape(name)}\(.*$", source, re.M)
    if header and not defines(region, name):
        return header.group(0) + "\n" + "\n".join(f"    {line}" if line else line for line in region.splitlines())
    return region


def model_answer_output(code: str):
    label = say("assign.label.model_answer")
    html = f'<details open><summary><b>{label}</b></summary><pre>{_escape(code)}</pre></details>'
    return new_output("display_data", data={"text/html": html, "text/plain": f"{label}:\n{code}"},
                      metadata={MARK: True})


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def add_model_answers(nb, cells: dict[str, tuple[str, str]]) -> int:
    """Add the model answers to the graded notebook; returns how many were added."""
    from smiley_checks.tasks import TASKS

    solutions = {grade_id: solution_text(source) for grade_id, (_, source) in cells.items()}
    added, index, shown = 0, 0, set()
    while index < len(nb.cells):
        cell = nb.cells[index]
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        task = TASKS.get(grade_id)
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution") and task is not None:
            code = next((model_code(source, task.answer) for kind, source in cells.values()
                         if kind == "code" and solution_text(source) and defines(source, task.answer)), "")
            if code and code not in shown:  # output_shape answers three tasks: show it once
                cell.outputs.append(model_answer_output(code))
                shown.add(code)
                added += 1
        elif cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade") and solutions.get(grade_id):
            answer = new_markdown_cell(f"**{say('assign.label.model_answer')}:** {solutions[grade_id]}")
            answer.metadata[MARK] = True
            nb.cells.insert(index + 1, answer)
            added += 1
            index += 1
        index += 1
    return added
