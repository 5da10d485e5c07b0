"""The grader keeps at most a set size of what a kernel prints (grader/smiley_grader/output_budget.py)."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

# A child Python runs one notebook whose cell floods its output, and reports its own peak memory:
# with nbclient's own client (the attack), or with the budget mixed in (the defence).
RUN = r'''
import json, sys
import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbclient import NotebookClient
from smiley_grader.output_budget import OutputBudget

largest = [0]

def measured(process):
    def process_message(self, msg, cell, cell_index):
        if msg.get("msg_type") in ("stream", "display_data"):
            largest[0] = max(largest[0], len(json.dumps(msg.get("content"))))
        return process(self, msg, cell, cell_index)
    return process_message

class Budgeted(OutputBudget, NotebookClient):
    process_message = measured(OutputBudget.process_message)

class Plain(NotebookClient):
    process_message = measured(NotebookClient.process_message)

# display() sends one message per call (print()s may reach the grader merged into fewer messages).
flood = ("import time\nfrom IPython.display import display\nprint('a start', flush=True)\n"
         "for _ in range(COUNT):\n    display({'text/plain': 'x' * SIZE}, raw=True)\n    time.sleep(0.05)\n"
         "print('y' * SIZE)")
nb = new_notebook(cells=[new_code_cell(flood.replace("COUNT", sys.argv[2]).replace("SIZE", sys.argv[3])),
                         new_code_cell("print('after the flood')")])
client = (Budgeted if sys.argv[1] == "budget" else Plain)(nb, timeout=120, kernel_name="python3",
                                                          cell_output_limit=1_000_000)
client.execute()
kept = [sum(len(json.dumps(o)) for o in cell.outputs) for cell in nb.cells]
texts = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
# The peak of this process's own memory: VmHWM starts again at exec, while ru_maxrss keeps the parent's
# size at fork (in the whole suite pytest holds TensorFlow, about 1.2 GB, and this child reported that).
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"peak_mb": peak_kb / 1024, "kept": kept,
                  "largest_message": largest[0],
                  "texts": texts[:2000], "second": nb.cells[1].outputs[0].get("text", "")}))
'''


def run(client: str, count: int, size: int) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, client, str(count), str(size)], capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_flooding_cell_fills_nbclient_but_not_the_grader(english):
    attack = run("nbclient", 80, 5_000_000)  # 400 MB shown, one output (one message) at a time
    defended = run("budget", 80, 5_000_000)
    assert attack["kept"][0] > 300_000_000
    assert defended["kept"][0] < 1_100_000  # the budget, and one line about it
    # The budget bounds what is kept, not one message: a message is held whole while it is read (about
    # three copies). Here every message is 5 MB, so only a few in flight count (a short receive queue).
    assert defended["largest_message"] < 5_100_000
    assert defended["peak_mb"] < min(attack["peak_mb"] - 100, 300)
    assert "printed far too much" in defended["texts"]
    assert defended["second"] == "after the flood\n"  # the notebook goes on


def test_an_honest_cell_keeps_everything(english):
    kept = run("budget", 3, 1000)
    assert kept["kept"][0] > 3000 and "too much" not in kept["texts"]
