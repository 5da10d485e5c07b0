"""A Jupyter kernel manager that starts the kernel inside the sandbox (sandbox.py).

GradingExecute (nbgrader_plugin.py) uses it as nbclient's `kernel_manager_class`. It changes
four things about the StudentKernelManager (the students' Python):

- transport: ZMQ over unix sockets (`ipc`) in a private folder, because the kernel has no network;
- launch: the kernel command is wrapped in bwrap (sandbox.command), which gets the kernel's environment
  (sandbox.environment, hidden inputs included) from Popen, never on its command line; as root, the
  kernel gets a uid of its own;
- interrupt: by message (the kernel interrupts itself), since a signal to bwrap would kill the sandbox;
- time: after `notebook_seconds` the whole sandbox is killed (`stopped_by` says so), and at shutdown
  it counts the processes the notebook left running (`left_running`); they die with the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from traitlets import Dict, Enum, Integer
from traitlets.config import Configurable

from smiley_grader.limits import notebook_timeouts
from smiley_grader.student_kernel import StudentKernelManager
from smiley_grader.sandbox import Limits, command, environment, problem, sandbox_user

# Set by `smiley-checks grade` for each nbgrader it starts: the mode ('on'/'off'), and a file for the notes.
MODE_VARIABLE = "SMILEY_CHECKS_SANDBOX"
REPORT_VARIABLE = "SMILEY_CHECKS_SANDBOX_REPORT"


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start on this machine (the message says why); nothing is graded without it."""


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class SandboxedKernelManager(StudentKernelManager):
    limits: Limits = Limits()
    notebook_seconds: float | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = Path(tempfile.mkdtemp(prefix="smiley-kernel-"))
        self.transport = "ipc"
        self.connection_file = str(self.runtime / "kernel.json")
        self.ip = str(self.runtime / "ipc")
        self.stopped_by: str | None = None
        self.left_running = 0
        self._timer: threading.Timer | None = None
        self.uid = sandbox_user()

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        self.kernel_spec.interrupt_mode = "message"
        workdir = Path((self._launch_args or {}).get("cwd") or os.getcwd())
        return command(argv, workdir, self.runtime, self.limits, uid=self.uid)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.uid is not None:  # the kernel's own uid reads its connection file and makes its sockets
            for path in (self.runtime, *self.runtime.iterdir()):
                os.chown(path, self.uid, self.uid)
        # The sandbox's environment (hidden inputs included) goes to bwrap through Popen, never on its
        # command line; `independent`: jupyter_client would add the grader's pid as JPY_PARENT_PID.
        kw["env"] = environment(kw.get("env") or dict(os.environ))
        kw["independent"] = True
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.notebook_seconds:
            self._timer = threading.Timer(self.notebook_seconds, self._time_is_up)
            self._timer.daemon = True
            self._timer.start()

    def _bwrap_pid(self) -> int | None:
        process = getattr(self.provisioner, "process", None)
        return process.pid if process is not None and process.poll() is None else None

    def _time_is_up(self) -> None:
        pid = self._bwrap_pid()
        if pid is not None:
            self.stopped_by = "notebook_time"
            os.kill(pid, signal.SIGKILL)  # bwrap's pid 1 dies with it, and so does everything inside

    def count_left_running(self) -> int:
        """Processes in the sandbox besides bwrap's pid 1 and the kernel itself."""
        pid = self._bwrap_pid()
        return max(0, len(descendants(pid)) - 2) if pid is not None else 0

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        if self._timer:
            self._timer.cancel()
        self.left_running = max(self.left_running, self.count_left_running())
        await super()._async_shutdown_kernel(now=now, restart=restart)

    shutdown_kernel = _async_shutdown_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self.runtime, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


class KernelSandbox(Configurable):
    """The sandbox's settings for nbgrader_config.py (e.g. `c.KernelSandbox.processes = 1024`), and what
    GradingExecute asks of it. One per notebook."""

    mode = Enum(("on", "off"), "on", help="'on': every kernel in the sandbox, and no grading where it cannot "
                "start; 'off': students' code runs with the grader's rights (set it on purpose only). "
                f"The environment variable {MODE_VARIABLE} overrides it; `smiley-checks grade` sets it "
                "to 'on' unless --unsandboxed.").tag(config=True)
    processes = Integer(Limits.processes, help="Most processes and threads in one sandbox.").tag(config=True)
    file_bytes = Integer(Limits.file_bytes, help="Largest file a kernel may write, in bytes.").tag(config=True)
    disk_bytes = Integer(Limits.disk_bytes, help="Space of the kernel's home and working folder (a tmpfs), "
                         "in bytes; /tmp gets tmp_bytes more.").tag(config=True)
    tmp_bytes = Integer(Limits.tmp_bytes, help="Space of the kernel's /tmp (a tmpfs), in bytes.").tag(config=True)
    notebook_timeouts = Dict(help="Seconds a whole notebook may run, per assignment "
                             "(default: limits.notebook_timeouts()).").tag(config=True)
    notebook_timeout = Integer(0, help="Seconds for an assignment not in notebook_timeouts (0: no limit)."
                               ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.manager: SandboxedKernelManager | None = None
        self.seconds: float | None = None

    def enabled(self) -> bool:
        """Whether kernels get the sandbox. Fails closed: where it cannot start, SandboxUnavailable says
        why in one sentence, unless the mode is 'off' (a value other than 'off' counts as 'on')."""
        mode = os.environ.get(MODE_VARIABLE) or self.mode
        if mode == "off":
            return False
        why = cached_problem()
        if why is None:
            return True
        raise SandboxUnavailable(why)

    def prepare(self, manager, assignment: str | None, memory_bytes: int) -> None:
        """Give the kernel manager nbclient just made its limits (before its kernel starts)."""
        if not isinstance(manager, SandboxedKernelManager):
            return
        timeouts = self.notebook_timeouts or notebook_timeouts()
        self.seconds = timeouts.get(assignment, self.notebook_timeout) or None
        manager.limits = Limits(processes=self.processes, file_bytes=self.file_bytes, disk_bytes=self.disk_bytes,
                                tmp_bytes=self.tmp_bytes, memory_bytes=memory_bytes)
        manager.notebook_seconds = self.seconds
        self.manager = manager

    def death(self) -> tuple[str, str] | None:
        """(error name, message) for a cell whose kernel the sandbox stopped, else None."""
        from smiley_checks.messages import say

        if self.manager is not None and self.manager.stopped_by == "notebook_time":
            return "NotebookTimeLimit", say("assign.notebook_time", seconds=f"{self.seconds:g}")
        return None

    def notes(self) -> list[str]:
        """Message keys of what the sandbox stopped, seen from outside the kernel."""
        if self.manager is None:
            return []
        found = ["grade.note.notebook_time"] if self.manager.stopped_by == "notebook_time" else []
        return found + (["grade.note.left_running"] if self.manager.left_running else [])

    def report(self, log=None, more: tuple[str, ...] = ()) -> None:
        """Hand the notes (and `more` from the grader) to `smiley-checks grade` (a file it names in
        REPORT_VARIABLE) and the log."""
        notes = self.notes() + list(more)
        if notes and log:
            log("Sandbox: %s", ", ".join(notes))
        path = os.environ.get(REPORT_VARIABLE)
        if notes and path:
            with open(path, "a") as file:
                file.writelines(json.dumps({"note": note}) + "\n" for note in notes)


@lru_cache(maxsize=1)
def cached_problem() -> str | None:
    return problem()


def read_report(path) -> list[str]:
    """The note keys a grading run's KernelSandbox wrote to `path` (none if there is no file)."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        try:
            note = json.loads(line).get("note")
        except (ValueError, AttributeError):
            continue
        if isinstance(note, str) and note not in found:
            found.append(note)
    return found
