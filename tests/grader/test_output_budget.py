"""The grader keeps at most a set size of what a kernel prints (grader/smiley_grader/output_budget.py)."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

# A child Python runs one notebook whose cell floods its output, and reports its own peak memory:
# with nbclient's own client (the attack), or with the budget mixed in (the defence).
RUN = r'''
import json, resource, sys
import nbformat
from nbformat.v4 import new_code_cell, new_notebook
from nbclient import NotebookClient
from smiley_grader.output_budget import OutputBudget

class Budgeted(OutputBudget, NotebookClient):
    pass

flood = ("import time\nfor _ in range(COUNT):\n    print('x' * SIZE, flush=True)\n    time.sleep(0.05)\n"
         "from IPython.display import display\ndisplay({'text/plain': 'y' * SIZE}, raw=True)")
nb = new_notebook(cells=[new_code_cell(flood.replace("COUNT", sys.argv[2]).replace("SIZE", sys.argv[3])),
                         new_code_cell("print('after the flood')")])
client = (Budgeted if sys.argv[1] == "budget" else NotebookClient)(nb, timeout=120, kernel_name="python3",
                                                                  cell_output_limit=1_000_000)
client.execute()
kept = [sum(len(json.dumps(o)) for o in cell.outputs) for cell in nb.cells]
texts = "".join(o.get("text", "") for o in nb.cells[0].outputs if o.output_type == "stream")
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "kept": kept,
                  "texts": texts[:2000], "second": nb.cells[1].outputs[0].get("text", "")}))
'''


def run(client: str, count: int, size: int) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, client, str(count), str(size)], capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_flooding_cell_fills_nbclient_but_not_the_grader(english):
    attack = run("nbclient", 80, 5_000_000)  # 400 MB printed, one output at a time
    defended = run("budget", 80, 5_000_000)
    assert attack["kept"][0] > 300_000_000
    assert defended["kept"][0] < 1_100_000  # the budget, and one line about it
    # Peak memory: the budget keeps nothing, so only the messages in flight count. Under load ipykernel
    # sends several prints as one message, so allow for a few in flight at once (each 5 MB is ~3 copies).
    assert defended["peak_mb"] < min(attack["peak_mb"] - 100, 300)
    assert "printed far too much" in defended["texts"]
    assert defended["second"] == "after the flood\n"  # the notebook goes on


def test_an_honest_cell_keeps_everything(english):
    kept = run("budget", 3, 1000)
    assert kept["kept"][0] > 3000 and "too much" not in kept["texts"]
