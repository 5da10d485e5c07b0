"""How much of what a kernel prints the grader keeps: at most a set size per cell and per notebook.

nbclient keeps every output a kernel sends in the notebook, in the grader's own memory. A
student's cell that prints 300 outputs of 60 MB would fill it. `OutputBudget` is mixed into
the grader's NotebookClient (nbgrader_plugin.GradingExecute): an output that does not fit
in what is left is dropped as it arrives, and the cell gets one line that says so. Cleared
outputs give their room back, so an honest progress bar never runs out.
"""

from __future__ import annotations

from nbformat.v4 import new_output
from traitlets import Integer
from traitlets.config import LoggingConfigurable

# Messages from the kernel that may wait in the grader's receive queue (ZMQ's default is 1000).
RECEIVE_QUEUE = 4
# Message types that add to (or replace) a cell's outputs.
OUTPUT_MESSAGES = ("stream", "display_data", "execute_result", "error", "update_display_data")


def content_size(value) -> int:
    """The characters in a message's content (strings, nested anywhere), without serialising it."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(key)) + content_size(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return sum(content_size(item) for item in value)
    return 8


def short_queue(context) -> None:
    """A default for every socket `context` makes from now on."""
    import zmq

    context.setsockopt(zmq.RCVHWM, RECEIVE_QUEUE)


class OutputBudget(LoggingConfigurable):
    """Mix into a NotebookClient (before it in the bases)."""

    cell_output_limit = Integer(
        2 * 1024**2, help="Characters of output kept per cell (a training cell's pictures take about 0.2 MB)."
    ).tag(config=True)
    notebook_output_limit = Integer(
        20 * 1024**2, help="Characters of output kept per notebook."
    ).tag(config=True)

    def create_kernel_manager(self):
        """Messages wait in the kernel (inside its sandbox and memory limit), not in the grader: a short
        receive queue, set on the client's context before its sockets exist. (A limit on a message's
        size would be ZMQ's MAXMSGSIZE, but it drops the connection for good: every later record lost.)"""
        manager = super().create_kernel_manager()
        make_client = manager.client

        def limited_client(**kwargs):
            client = make_client(**kwargs)
            short_queue(client.context)
            return client

        manager.client = limited_client
        return manager

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reset_output_budget()

    def reset_output_budget(self) -> None:
        self._kept_by_cell: dict[int, int] = {}
        self._cut_cells: set[int] = set()

    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") in OUTPUT_MESSAGES:
            kept = self._kept_by_cell
            size = content_size(msg.get("content"))
            in_cell = kept.get(cell_index, 0)
            if in_cell + size > self.cell_output_limit or sum(kept.values()) + size > self.notebook_output_limit:
                self._note_cut(cell, cell_index)
                return None
            kept[cell_index] = in_cell + size
        elif msg.get("msg_type") == "clear_output":
            self._kept_by_cell[cell_index] = 0
            self._cut_cells.discard(cell_index)
        return super().process_message(msg, cell, cell_index)

    def _note_cut(self, cell, cell_index: int) -> None:
        if cell_index in self._cut_cells:
            return
        from smiley_checks.messages import say

        self._cut_cells.add(cell_index)
        megabytes = f"{self.cell_output_limit / 1024**2:g}"
        cell.outputs.append(new_output("stream", name="stdout", text=say("grade.output_cut", megabytes=megabytes) + "\n"))

    def any_output_cut(self) -> bool:
        return bool(self._cut_cells)
