"""A Jupyter kernel manager that starts the kernel inside the sandbox (sandbox.py).

GradingExecute (nbgrader_plugin.py) uses it as nbclient's `kernel_manager_class`. It changes
four things about the StudentKernelManager (the students' Python):

- transport: ZMQ over unix sockets (`ipc`) in the sandbox's own small tmpfs (sandbox.SOCKETS), because
  the kernel has no network; the grader reaches them through /proc/<sandbox's pid 1>/root;
- launch: the kernel command is wrapped in bwrap (sandbox.command), which gets the kernel's environment
  (sandbox.environment, hidden inputs included) from Popen, never on its command line; as root, the
  kernel gets a uid of its own;
- interrupt: by message (the kernel interrupts itself), since a signal to bwrap would kill the sandbox;
- a watchdog: after `notebook_seconds`, or when the sandbox's processes and folders together use more
  than `memory_total` bytes, the whole sandbox is killed (`stopped_by` says why); at shutdown it counts
  the processes the notebook left running (`left_running`); they die with the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

from traitlets import Dict, Enum, Integer
from traitlets.config import Configurable

from smiley_grader.limits import SANDBOX_MEMORY_BYTES, notebook_timeout
from smiley_grader.student_kernel import StudentKernelManager
from smiley_grader.sandbox import SOCKETS, Limits, command, environment, problem, sandbox_user

# Set by `smiley-checks grade` for each nbgrader it starts: the mode ('on'/'off'), and a file for the notes.
MODE_VARIABLE = "SMILEY_CHECKS_SANDBOX"
REPORT_VARIABLE = "SMILEY_CHECKS_SANDBOX_REPORT"
# How often the watchdog looks. Memory grows by at most a few hundred MB per second on a school
# server's cores (page faults), so the cap can be passed by that much for this long at most.
WATCH_SECONDS = 0.25
# Why a sandbox was stopped -> (error name in the cell, message for the student, note for the teacher).
STOPS = {
    "notebook_time": ("NotebookTimeLimit", "assign.notebook_time", "grade.note.notebook_time"),
    "memory_total": ("SandboxMemoryLimit", "assign.memory_total", "grade.note.memory_total"),
    "interrupt_ignored": ("InterruptIgnored", "assign.interrupt_ignored", "grade.note.interrupt_ignored"),
}


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot start on this machine (the message says why); nothing is graded without it."""


def children(pid: int) -> dict[int, list[int]]:
    """Every process's children (from /proc)."""
    found: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        found.setdefault(ppid, []).append(int(entry))
    return found


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (from /proc)."""
    below = children(pid)
    found, todo = [], [pid]
    while todo:
        for child in below.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


PAGE = os.sysconf("SC_PAGE_SIZE")


def resident(pid: int) -> int:
    """Bytes of memory the process has in RAM, shared pages counted in full (cheap: /proc/PID/statm)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def proportional(pid: int) -> int:
    """Bytes of RAM the process uses, each shared page divided among its sharers (PSS): a forked child
    shares its parent's pages until it writes them, so resident() would count those twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resident(pid)


def folders_used(root: str, folders) -> int:
    """Bytes stored in the sandbox's tmpfs folders (RAM that belongs to no process), seen through `root`."""
    used = 0
    for folder in folders:
        try:
            stat = os.statvfs(root + folder)
        except OSError:
            continue
        used += (stat.f_blocks - stat.f_bfree) * stat.f_frsize
    return used


def sandbox_memory(pid: int, inside: int | None, folders=()) -> tuple[int, int, list[int]]:
    """RAM used by the sandbox below bwrap's `pid`: its processes (PSS) and its tmpfs folders (through
    /proc/<inside>/root, the sandbox's pid 1). Resident sizes first: their sum is never below the
    PSS sum, so the costly PSS is read only when the cheap sum is over a cap."""
    processes = [pid, *descendants(pid)]
    stored = folders_used(f"/proc/{inside}/root", folders) if inside else 0
    return stored + sum(resident(p) for p in processes), stored, processes


class SandboxedKernelManager(StudentKernelManager):
    limits: Limits = Limits()
    notebook_seconds: float | None = None
    memory_total: int | None = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = Path(tempfile.mkdtemp(prefix="smiley-kernel-"))
        self.transport = "ipc"
        self.connection_file = str(self.runtime / "kernel.json")
        self.ip = f"{SOCKETS}/ipc"  # what the kernel binds, in the sandbox
        self.stopped_by: str | None = None
        self.left_running = 0
        self.peak_memory = 0  # the largest total the watchdog saw (resident sizes; PSS when over the cap)
        self.ran = 0.0  # seconds from the kernel's start to the watchdog's last look
        self.inside: int | None = None  # the sandbox's pid 1, as the host sees it
        self._watching = threading.Event()
        self.uid = sandbox_user()

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        self.kernel_spec.interrupt_mode = "message"
        workdir = Path((self._launch_args or {}).get("cwd") or os.getcwd())
        return command(argv, workdir, self.runtime, self.limits, uid=self.uid)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.uid is not None:  # the kernel's own uid reads its connection file
            for path in (self.runtime, *self.runtime.iterdir()):
                os.chown(path, self.uid, self.uid)
        # The sandbox's environment (hidden inputs included) goes to bwrap through Popen, never on its
        # command line; `independent`: jupyter_client would add the grader's pid as JPY_PARENT_PID.
        kw["env"] = environment(kw.get("env") or dict(os.environ))
        kw["independent"] = True
        await super()._async_launch_kernel(kernel_cmd, **kw)
        self.inside = self._sandbox_init()
        if self.inside is not None:  # from now on the client connects to the sockets inside the sandbox
            self.ip = f"/proc/{self.inside}/root{SOCKETS}/ipc"
        threading.Thread(target=self._watch, daemon=True, name="sandbox-watchdog").start()

    def _bwrap_pid(self) -> int | None:
        process = getattr(self.provisioner, "process", None)
        return process.pid if process is not None and process.poll() is None else None

    def _sandbox_init(self, seconds: float = 10) -> int | None:
        """bwrap's child: pid 1 in the sandbox (bwrap forks it at once; a busy machine may take a moment)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid = self._bwrap_pid()
            if pid is None:
                return None
            try:
                with open(f"/proc/{pid}/task/{pid}/children") as file:
                    found = file.read().split()
            except OSError:
                found = []
            if found:
                return int(found[0])
            time.sleep(0.01)
        return None

    def stop(self, reason: str) -> None:
        """Kill the whole sandbox now (bwrap's pid 1 dies with it, and so does everything inside)."""
        pid = self._bwrap_pid()
        if pid is not None:
            self.stopped_by = self.stopped_by or reason
            os.kill(pid, signal.SIGKILL)

    def _watch(self) -> None:
        self.started = started = time.monotonic()
        folders = [folder for folder, *_ in self.limits.writable()]
        while not self._watching.wait(WATCH_SECONDS):
            pid = self._bwrap_pid()
            if pid is None:
                return
            self.ran = time.monotonic() - started
            if self.notebook_seconds and self.ran > self.notebook_seconds:
                return self.stop("notebook_time")
            if not self.memory_total:
                continue
            used, stored, processes = sandbox_memory(pid, self.inside, folders)
            if used > self.memory_total:
                used = stored + sum(proportional(p) for p in processes)
            self.peak_memory = max(self.peak_memory, used)
            if used > self.memory_total:
                return self.stop("memory_total")

    def count_left_running(self) -> int:
        """Processes in the sandbox besides bwrap's pid 1 and the kernel itself."""
        pid = self._bwrap_pid()
        return max(0, len(descendants(pid)) - 2) if pid is not None else 0

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        self._watching.set()
        self.left_running = max(self.left_running, self.count_left_running())
        await super()._async_shutdown_kernel(now=now, restart=restart)

    shutdown_kernel = _async_shutdown_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        self.ip = f"{SOCKETS}/ipc"  # the sockets went with the sandbox: nothing to remove on the host
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
    shm_bytes = Integer(Limits.shm_bytes, help="Space of the kernel's /dev/shm (a tmpfs), in bytes.").tag(config=True)
    files = Integer(Limits.files, help="Most files and folders in each of the kernel's /tmp and home folder."
                    ).tag(config=True)
    memory_total = Integer(SANDBOX_MEMORY_BYTES, help="RAM for all the sandbox's processes together and its "
                           "folders, in bytes (0: no cap). Above it the whole sandbox is stopped."
                           ).tag(config=True)
    notebook_timeouts = Dict(help="Seconds a whole notebook may run, by the assignment's name or its kind "
                             "('layers', 'break_the_model'); default: limits.notebook_timeouts() by kind."
                             ).tag(config=True)
    notebook_timeout = Integer(0, help="Seconds for an assignment of no known kind (0: the largest of "
                               "limits.notebook_timeouts())." ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.manager: SandboxedKernelManager | None = None
        self.seconds: float | None = None
        self.stopped_by: str | None = None  # a kernel without the sandbox that stop_kernel stopped

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

    def notebook_seconds(self, assignment: str | None, kind: str | None) -> int:
        """The whole-notebook limit: the teacher's by name, then by kind, then derived (limits.py)."""
        for key in (assignment, kind):
            if key in self.notebook_timeouts:
                return int(self.notebook_timeouts[key])
        if kind is None and self.notebook_timeout:
            return self.notebook_timeout
        return notebook_timeout(kind)

    def prepare(self, manager, assignment: str | None, kind: str | None, memory_bytes: int) -> None:
        """Give the kernel manager nbclient just made its limits (before its kernel starts)."""
        if not isinstance(manager, SandboxedKernelManager):
            return
        self.seconds = self.notebook_seconds(assignment, kind)
        manager.limits = Limits(processes=self.processes, file_bytes=self.file_bytes, disk_bytes=self.disk_bytes,
                                tmp_bytes=self.tmp_bytes, memory_bytes=memory_bytes, shm_bytes=self.shm_bytes,
                                files=self.files)
        manager.notebook_seconds = self.seconds
        manager.memory_total = self.memory_total or None
        self.manager = manager

    def stop_kernel(self, manager, reason: str) -> None:
        """Stop a kernel that no longer answers: the whole sandbox, or without one the kernel's process group."""
        if isinstance(manager, SandboxedKernelManager):
            return manager.stop(reason)
        process = getattr(getattr(manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            self.stopped_by = self.stopped_by or reason
            try:
                os.killpg(process.pid, signal.SIGKILL)  # jupyter_client starts kernels in a session of their own
            except OSError:
                process.kill()

    def why_stopped(self) -> str | None:
        return self.manager.stopped_by if self.manager is not None else self.stopped_by

    def death(self) -> tuple[str, str] | None:
        """(error name, message) for a cell whose kernel the sandbox stopped, else None."""
        from smiley_checks.messages import say

        reason = self.why_stopped()
        if reason not in STOPS:
            return None
        name, message, _ = STOPS[reason]
        return name, say(message, seconds=f"{self.seconds or 0:g}",
                         size=f"{(self.memory_total or 0) / 1024**2:.0f} MB")

    def notes(self) -> list[str]:
        """Message keys of what the sandbox stopped, seen from outside the kernel."""
        reason = self.why_stopped()
        found = [STOPS[reason][2]] if reason in STOPS else []
        if self.manager is not None and self.manager.left_running:
            found.append("grade.note.left_running")
        return found

    def usage(self) -> str | None:
        """How long the kernel ran and its largest memory, against the limits (for the log)."""
        if self.manager is None:
            return None
        cap = f"{self.manager.memory_total / 1024**2:.0f} MB" if self.manager.memory_total else "none"
        return (f"the sandbox ran {self.manager.ran:.0f} s (limit {self.seconds:g} s), memory "
                f"{self.manager.peak_memory / 1024**2:.0f} MB at most (cap {cap})")

    def report(self, log=None, more: tuple[str, ...] = (), info=None) -> None:
        """Hand the notes (and `more` from the grader) to `smiley-checks grade` (a file it names in
        REPORT_VARIABLE) and the log; `info`: where the time and memory the kernel used go."""
        if info and self.usage():
            info("Sandbox: %s", self.usage())
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
