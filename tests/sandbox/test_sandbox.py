"""The kernel sandbox (grader/smiley_grader/sandbox.py, sandbox_kernel.py) on its own: a real
ipykernel started by the sandboxed kernel manager, with a fake course folder next to it.

Each test starts one kernel (a second or two). The whole class graded in a sandbox, with the
attacking example students, is tests/classgrading/test_class_run.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import sys
import time
from pathlib import Path

import pytest

from smiley_grader import sandbox
from smiley_grader.sandbox_kernel import SandboxedKernelManager, descendants, read_report

pytestmark = pytest.mark.skipif(sandbox.problem() is not None, reason=f"no sandbox here: {sandbox.problem()}")


@pytest.fixture
def course(tmp_path):
    """A course folder as nbgrader leaves it while it grades ada."""
    root = tmp_path / "course"
    own = root / "autograded" / "ada" / "layers"
    own.mkdir(parents=True)
    (own / "layers.ipynb").write_text("{}")
    (own / "data.txt").write_text("ada's own file")
    (root / "gradebook.db").write_text("grades")
    (root / "source" / "layers").mkdir(parents=True)
    (root / "source" / "layers" / "layers.ipynb").write_text("solutions")
    (root / "submitted" / "bert" / "layers").mkdir(parents=True)
    (root / "submitted" / "bert" / "layers" / "layers.ipynb").write_text("bert's answers")
    return root


def run(code: str, cwd: Path, manager_class=SandboxedKernelManager, notebook_seconds=None, timeout=60):
    """Run `code` in a fresh kernel started in `cwd`; returns (printed text, error names, manager)."""

    async def go():
        manager = manager_class(kernel_name="python3")
        if notebook_seconds:
            manager.notebook_seconds = notebook_seconds
        await manager.start_kernel(cwd=str(cwd))
        client = manager.client()
        client.start_channels()
        printed, errors = [], []

        def hook(message):
            content = message["content"]
            if message["msg_type"] == "stream":
                printed.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(content["ename"])

        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(code, timeout=timeout, output_hook=hook)
        except TimeoutError:
            errors.append("TimeoutError")
        finally:
            await manager.shutdown_kernel(now=True)
            client.stop_channels()
            await manager.cleanup_resources()
        return "".join(printed), errors, manager

    # In a thread of its own: an earlier test in the same session may have left an event loop running
    # in this thread (then asyncio.run refuses).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result()


LOOK_AROUND = """
import os
def can_read(path):
    try:
        return open(path).read()
    except OSError as error:
        return type(error).__name__
print(can_read("data.txt"))
print(can_read("../../../gradebook.db"), can_read("../../../source/layers/layers.ipynb"))
print(can_read("../../../submitted/bert/layers/layers.ipynb"), can_read({course!r} + "/gradebook.db"))
open("data.txt", "w").write("changed")
print(len([p for p in os.listdir("/proc") if p.isdigit()]), "processes")
"""


def test_a_kernel_sees_only_a_copy_of_its_own_folder(course):
    own = course / "autograded" / "ada" / "layers"
    printed, errors, _ = run(LOOK_AROUND.format(course=str(course)), own)
    lines = printed.splitlines()
    assert not errors
    assert lines[0] == "ada's own file"
    assert lines[1] == "FileNotFoundError FileNotFoundError"
    assert lines[2] == "FileNotFoundError FileNotFoundError"
    assert int(lines[3].split()[0]) <= 3  # bwrap's pid 1, the kernel: nothing of the machine
    assert (own / "data.txt").read_text() == "ada's own file"  # it wrote to its private copy


def test_without_the_sandbox_the_same_kernel_reads_everything(course):
    """The check above would catch a leak: an ordinary kernel reads the classmate and the solutions."""
    from jupyter_client import AsyncKernelManager

    own = course / "autograded" / "ada" / "layers"
    printed, _, _ = run(LOOK_AROUND.format(course=str(course)), own, manager_class=AsyncKernelManager)
    lines = printed.splitlines()
    assert lines[1] == "grades solutions"
    assert lines[2].startswith("bert's answers")
    assert (own / "data.txt").read_text() == "changed"


def test_no_network_not_even_the_host_loopback(course):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.1)
    port = server.getsockname()[1]
    try:
        code = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)"
        _, errors, _ = run(code, course / "autograded" / "ada" / "layers")
        assert errors == ["ConnectionRefusedError"]
        with pytest.raises(TimeoutError):
            server.accept()  # nobody knocked
    finally:
        server.close()


def test_limits_on_processes_file_size_and_disk(course):
    code = """
import subprocess
waiting = []
try:
    for _ in range(400):
        waiting.append(subprocess.Popen(["sleep", "177"]))
except OSError as error:
    print("processes", len(waiting), error.strerror)
try:
    with open("big", "wb") as file:
        file.write(bytes(100 * 1024 * 1024))
except OSError as error:
    print("file", error.strerror)
try:
    for n in range(10):
        with open(f"/tmp/part{n}", "wb") as file:
            file.write(bytes(60 * 1024 * 1024))
except OSError as error:
    print("disk", error.strerror)
"""
    printed, _, manager = run(code, course / "autograded" / "ada" / "layers")
    lines = dict(line.split(" ", 1) for line in printed.splitlines())
    started, why = lines["processes"].split(" ", 1)
    assert int(started) < sandbox.Limits.processes and why == "Resource temporarily unavailable"
    assert lines["file"] == "File too large"
    assert lines["disk"] == "No space left on device"
    assert manager.left_running >= int(started)  # counted at shutdown...
    assert not left_after("177")  # ...and gone with the sandbox


def left_after(marker: str, seconds: float = 10) -> list[int]:
    """The `sleep marker` processes still alive once the kernel killed the sandbox had `seconds` to
    reach them (the kernel takes the pid namespace down asynchronously: milliseconds, more on a busy
    machine)."""
    deadline = time.monotonic() + seconds
    while waiting_sleeps(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    return waiting_sleeps(marker)


def waiting_sleeps(marker: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and Path(f"/proc/{entry}/cmdline").read_bytes() == f"sleep\0{marker}\0".encode():
                found.append(int(entry))
        except OSError:
            pass
    return found


def test_the_notebook_time_limit_stops_the_whole_sandbox(course):
    started = time.monotonic()
    code = "import subprocess, time\nsubprocess.Popen(['sleep', '178'], start_new_session=True)\ntime.sleep(60)"
    _, errors, manager = run(code, course / "autograded" / "ada" / "layers", notebook_seconds=3, timeout=15)
    assert manager.stopped_by == "notebook_time"
    assert time.monotonic() - started < 40
    assert not left_after("178")
    assert not Path(manager.runtime).exists()  # its sockets' folder is removed too


def test_descendants_finds_children_of_children():
    import subprocess

    outer = subprocess.Popen([sys.executable, "-c", "import subprocess, time; subprocess.Popen(['sleep', '179']); time.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while len(descendants(outer.pid)) < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(descendants(outer.pid)) == 1
        assert descendants(os.getpid()) and outer.pid in descendants(os.getpid())
    finally:
        outer.kill()
        outer.wait()
        for pid in waiting_sleeps("179"):
            os.kill(pid, 9)


def test_the_notes_report_keeps_known_lines_once(tmp_path):
    path = tmp_path / "ada.sandbox.jsonl"
    assert read_report(path) == []
    path.write_text('{"note": "grade.note.left_running"}\nnot json\n{"note": "grade.note.left_running"}\n[1]\n')
    assert read_report(path) == ["grade.note.left_running"]


def test_a_course_inside_a_folder_every_kernel_reads_is_refused(tmp_path, monkeypatch, english):
    monkeypatch.setattr(sandbox, "read_only_dirs", lambda: [tmp_path])
    with pytest.raises(RuntimeError, match="must not be inside"):
        sandbox.command(["true"], tmp_path / "course" / "autograded" / "ada" / "layers", tmp_path / "run")
    assert sandbox.command(["true"], Path("/elsewhere/ada"), tmp_path / "run")[-1] == "true"


def test_a_notebook_over_its_time_gets_a_message_and_the_rest_does_not_run(tmp_path, english):
    """GradingExecute with the sandbox: the cell the limit stopped says so; later test cells count as not run."""
    from nbformat.v4 import new_code_cell, new_notebook
    from traitlets.config import Config

    from smiley_grader.nbgrader_plugin import GradingExecute

    def test_cell(source, grade_id):
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
        return cell

    nb = new_notebook(cells=[new_code_cell("x = 1"), test_cell("import time\ntime.sleep(30)", "slow"),
                             test_cell("assert x == 1", "after")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    config = Config()
    config.KernelSandbox.mode = "on"
    config.KernelSandbox.notebook_timeouts = {"quick": 4}
    execute = GradingExecute(config=config, timeout=60, judge_outside=False)
    resources = {"nbgrader": {"assignment": "quick"}, "metadata": {"path": str(tmp_path)}}
    nb, _ = execute.preprocess(nb, resources)
    slow, after = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o.ename for o in slow if o.output_type == "error"] == ["NotebookTimeLimit"]
    assert "more than 4 s in all" in slow[-1].evalue
    assert [o.ename for o in after] == ["KernelDied"] and "did not run" in after[0].evalue
    assert execute._sandbox.notes() == ["grade.note.notebook_time"]
