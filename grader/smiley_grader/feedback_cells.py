"""Feedback shows the student their results, not the hidden tests (nbgrader issue #917).

`nbgrader generate_feedback` renders the autograded notebook, and its test cells still
hold the `### BEGIN HIDDEN TESTS ... ### END HIDDEN TESTS` source. This preprocessor,
added to GenerateFeedback.preprocessors in nbgrader_config.py, removes that region from
every cell's source (the visible part of the test cell stays) and, in those cells,
shortens an error's traceback to its last line ("AssertionError: <the reason>"): a
traceback quotes the lines of the cell and of the grader that raised it. The verdict
and every other output stay as graded. It changes only the feedback's copy of the
notebook; the autograded notebook on disk and the gradebook are not touched.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode


class HideHiddenTests(Preprocessor):
    enabled = Bool(True, help="Remove hidden-test source from the feedback.").tag(config=True)
    begin_delimiter = Unicode("BEGIN HIDDEN TESTS", help="A line with this starts a hidden region.").tag(config=True)
    end_delimiter = Unicode("END HIDDEN TESTS", help="A line with this ends a hidden region.").tag(config=True)
    short_tracebacks = Bool(
        True, help="In a cell that had a hidden region, show an error as one line 'name: reason'."
    ).tag(config=True)

    def without_hidden(self, source: str) -> tuple[str, bool]:
        """`source` without its hidden regions (delimiter lines included), and whether it had one.

        A region without its end runs to the end of the cell: better to hide too much.
        """
        kept, hidden, found = [], False, False
        for line in source.split("\n"):
            if not hidden and self.begin_delimiter in line:
                hidden = found = True
            elif hidden and self.end_delimiter in line:
                hidden = False
            elif not hidden:
                kept.append(line)
        while found and kept and not kept[-1].strip():  # no blank tail where the tests were
            kept.pop()
        return "\n".join(kept), found

    def preprocess_cell(self, cell, resources, index):
        source, found = self.without_hidden(cell.source)
        if found:
            cell.source = source
            if self.short_tracebacks:
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
