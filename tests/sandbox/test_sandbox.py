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


def run(code: str, cwd: Path, manager_class=SandboxedKernelManager, notebook_seconds=None, timeout=60,
        memory_total=None):
    """Run `code` in a fresh kernel started in `cwd`; returns (printed text, error names, manager)."""

    async def go():
        manager = manager_class(kernel_name="python3")
        if notebook_seconds:
            manager.notebook_seconds = notebook_seconds
        manager.memory_total = memory_total
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
        except RuntimeError:  # a limit stopped the sandbox before the kernel was ready (a busy machine)
            errors.append("KernelDied")
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
    (tmp_path / "run").mkdir()  # the kernel's runtime folder (its connection file, the seccomp filter)
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
    assert [o.ename for o in after] == ["NotRun"] and "did not run" in after[0].evalue
    assert execute._sandbox.notes() == ["grade.note.notebook_time"]


# --- limits of the whole sandbox (issue 21) ---

MB = 1024**2
# Four children of 300 MB each: every one far below the per-process limit (5 GiB address space).
FORKING_HOG = """
import subprocess, sys, time
child = "import time; block = b'x' * (300 * 1024 * 1024); print('ready', flush=True); time.sleep(177)"
children = [subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE) for _ in range({count})]
ready = sum(c.stdout.readline() == b"ready\\n" for c in children)
print(ready, "children ready")
time.sleep({wait})
"""


@pytest.mark.slow
def test_a_forking_memory_hog_is_stopped_at_the_sandbox_memory_cap(course):
    started = time.monotonic()
    _, errors, manager = run(FORKING_HOG.format(count=4, wait=30), course / "autograded" / "ada" / "layers",
                             memory_total=600 * MB, timeout=10)
    assert manager.stopped_by == "memory_total"
    assert 500 * MB < manager.peak_memory < 1300 * MB
    assert time.monotonic() - started < 40
    assert not left_after("177")


@pytest.mark.slow
def test_under_the_memory_cap_nothing_is_stopped_and_without_it_the_hog_runs(course):
    """The cap stops only what is over it; and without the cap the same hog holds 1.2 GB: no per-process
    limit stops it (each child is far below its own address-space limit)."""
    printed, errors, manager = run(FORKING_HOG.format(count=1, wait=1), course / "autograded" / "ada" / "layers",
                                   memory_total=600 * MB)
    assert not errors and printed == "1 children ready\n" and manager.stopped_by is None
    printed, errors, manager = run(FORKING_HOG.format(count=4, wait=1), course / "autograded" / "ada" / "layers",
                                   memory_total=None)
    assert not errors and printed == "4 children ready\n" and manager.stopped_by is None
    assert not left_after("177")


FILL_FOLDERS = """
import os
def fill(folder, size):  # in files of 10 MB: below the limit on one file's size
    written = []
    try:
        for part in range(size // (10 * 1024 * 1024) or 1):
            written.append(os.path.join(folder, f"filler{part}"))
            with open(written[-1], "wb") as file:
                file.write(bytes(min(size, 10 * 1024 * 1024)))
        return "fits"
    except OSError as error:
        return error.strerror
    finally:
        for path in written:
            if os.path.exists(path):
                os.remove(path)
def many(folder, count):
    made = 0
    try:
        for made in range(count):
            open(os.path.join(folder, f"f{made}"), "w").close()
        return "fits"
    except OSError as error:
        return f"{error.strerror} after {made}"
print("shm 40", fill("/dev/shm", 40 * 1024 * 1024))
print("shm 100", fill("/dev/shm", 100 * 1024 * 1024))
print("shm files", many("/dev/shm", 1000))
print("tmp files", many("/tmp", 10000))
print("sockets", fill("/run/kernel", 1024 * 1024))
print("sockets files", many("/run/kernel", 100))
print("dev", fill("/dev", 1024 * 1024))
print("connection", fill("/run/connection", 1024 * 1024))
"""


def test_the_writable_folders_are_capped_in_size_and_number_of_files(course):
    printed, errors, manager = run(FILL_FOLDERS, course / "autograded" / "ada" / "layers")
    assert not errors
    said = printed.splitlines()
    assert said[0] == "shm 40 fits" and said[1] == "shm 100 No space left on device"
    assert said[2].startswith("shm files No space left on device after ")
    made = int(said[3].rsplit(" ", 1)[1])
    assert said[3].startswith("tmp files No space left on device") and made < sandbox.Limits.files
    assert said[4] == "sockets No space left on device"
    assert said[5].startswith("sockets files No space left on device after ")
    assert int(said[5].rsplit(" ", 1)[1]) < sandbox.SOCKETS_FILES  # its five sockets are there too
    assert said[6] == "dev Read-only file system" and said[7] == "connection Read-only file system"
    assert not manager.runtime.exists()  # the host folder with its connection file is gone too


# In a child process: a process with threads (the kernel) may not make a user namespace.
NESTED_TMPFS = '''
import subprocess, sys
child = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER, CLONE_NEWNS = 0x10000000, 0x00020000
uid, gid = os.getuid(), os.getgid()
if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0:
    print("unshare", os.strerror(ctypes.get_errno()))
else:
    try:
        for name, line in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
            with open(f"/proc/self/{name}", "w") as file:
                file.write(line)
    except OSError:
        pass  # (refused to a grader that is not root, here: then the writes below fail)
    libc.mount(b"none", b"/", None, 0x4000 | 0x40000, None)  # MS_REC | MS_PRIVATE
    print("mount", libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, b"size=1g"))
    try:
        for part in range(10):  # files of 10 MB: below the limit on one file's size
            with open(f"/tmp/filler{part}", "wb") as file:
                file.write(bytes(10 * 1024 * 1024))
        print("wrote", sum(os.path.getsize(f"/tmp/filler{part}") for part in range(10)) // (1024 * 1024), "MB")
    except OSError as error:
        print("write", error.strerror)
"""
print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout, end="")
'''


def test_no_user_namespace_inside_so_no_tmpfs_without_limits(course, monkeypatch):
    printed, errors, _ = run(NESTED_TMPFS, course / "autograded" / "ada" / "layers")
    assert not errors and printed == "unshare Operation not permitted\n"
    # Without the seccomp filter a process makes a user namespace and mounts a tmpfs of its own (1 GB):
    # as root, 100 MB go into a /tmp whose sandbox limit is 64 MB. (Without root, this machine refused
    # the nested namespace its uid map, 2026-12-04, so its files could not be made: the mount is the hole.)
    monkeypatch.setattr(sandbox, "user_namespace_filter", lambda: None)
    printed, errors, _ = run(NESTED_TMPFS, course / "autograded" / "ada" / "layers")
    assert not errors and printed.startswith("mount 0\n")
    if os.geteuid() == 0:
        assert printed == "mount 0\nwrote 100 MB\n"


def grading_notebook(*cells):
    """A notebook of code cells; a (source, grade_id) pair is a test cell worth 1 point."""
    from nbformat.v4 import new_code_cell, new_notebook

    made = []
    for cell in cells:
        if isinstance(cell, tuple):
            made.append(new_code_cell(cell[0]))
            made[-1].metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": cell[1], "points": 1}
        else:
            made.append(new_code_cell(cell))
    nb = new_notebook(cells=made)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


IGNORES_INTERRUPTS = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)"


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["on", "off"])
def test_a_cell_that_ignores_the_interrupt_stops_the_kernel_and_the_rest_is_not_run(tmp_path, english, mode):
    """nbclient interrupts at the cell timeout, waits 4 s for the kernel, then raises CellTimeoutError:
    GradingExecute stops the kernel (with or without the sandbox) and marks the later test cells."""
    from traitlets.config import Config

    from smiley_grader.nbgrader_plugin import GradingExecute

    nb = grading_notebook("x = 1", (IGNORES_INTERRUPTS, "stubborn"), ("assert x == 1", "after"))
    config = Config()
    config.KernelSandbox.mode = mode
    execute = GradingExecute(config=config, timeout=3)
    started = time.monotonic()
    nb, _ = execute.preprocess(nb, {"nbgrader": {"assignment": "quick"}, "metadata": {"path": str(tmp_path)}})
    assert time.monotonic() - started < 40
    stubborn, after = nb.cells[1].outputs, nb.cells[2].outputs
    assert [o.ename for o in stubborn if o.output_type == "error"][-1] == "InterruptIgnored"
    assert "did not stop when its time was up" in stubborn[-1].evalue
    assert [o.ename for o in after] == ["NotRun"]
    assert execute._sandbox.notes() == ["grade.note.interrupt_ignored"]


@pytest.mark.slow
def test_nbgraders_own_execute_gives_up_on_the_whole_notebook(tmp_path):
    """The failing case: the same notebook under nbgrader's Execute raises, and nbgrader then marks the
    student as not graded."""
    from nbclient.exceptions import CellTimeoutError
    from nbgrader.preprocessors import Execute

    nb = grading_notebook("x = 1", (IGNORES_INTERRUPTS, "stubborn"), ("assert x == 1", "after"))
    with pytest.raises(CellTimeoutError):
        Execute(timeout=3).preprocess(nb, {"metadata": {"path": str(tmp_path)}})


def test_folders_below_tmp_that_the_kernel_reads_stay_visible_and_read_only(course, tmp_path, monkeypatch):
    """A course and its venv in a clone under /tmp (CI): the sandbox's own /tmp must not hide them."""
    assert tmp_path.is_relative_to("/tmp")
    shared = tmp_path / "clone" / "venv"
    shared.mkdir(parents=True)
    (shared / "package.py").write_text("the package")
    reads = sandbox.read_only_dirs
    monkeypatch.setattr(sandbox, "read_only_dirs", lambda: [*reads(), shared])
    code = f"""
def attempt(action):
    try:
        return action()
    except OSError as error:
        return type(error).__name__
print(attempt(lambda: open({str(shared / "package.py")!r}).read()))
print(attempt(lambda: open({str(shared / "new.py")!r}, "w").write("x")))
print(attempt(lambda: open("/tmp/mine.txt", "w").write("mine")))
print(attempt(lambda: open({str(course / "gradebook.db")!r}).read()))
"""
    printed, errors, _ = run(code, course / "autograded" / "ada" / "layers")
    assert not errors
    assert printed.splitlines() == ["the package", "OSError", "4", "FileNotFoundError"]
    assert not (shared / "new.py").exists()
