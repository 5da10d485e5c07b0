"""One student: `nbgrader autograde ASSIGNMENT --student ID --force` in its own subprocess.

The subprocess gets its own process group, so a time limit (or a test) can stop it with
its kernel. `os.wait4` gives its peak memory (the largest of nbgrader and the kernels
and judges it waited for). A run that failed because the gradebook was busy is tried
again; any other failure becomes a reason, and the class run goes on. The class run's
verdict cache reaches the subprocess through an inherited pipe (grading/cache_handover.py).

On a Dask worker (pool.py) the process groups still running are known (`RUNNING`), so that a
run that is stopped (Ctrl-C) can end them instead of leaving nbgrader and its kernel behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from smiley_grader.classgrading.database import is_locked
from smiley_grader.isolation import nbgrader_command, tools_path

LOCK_RETRIES = 3
TAIL_CHARS = 4000
RUNNING: set[int] = set()  # process groups of the autogrades this process is waiting for


@dataclass
class StudentResult:
    student: str
    status: str  # "graded", "failed", "skipped"
    reason: str = ""  # why it failed
    notes: list[str] = field(default_factory=list)  # what went wrong inside the notebook (still graded)
    seconds: float = 0.0
    peak_mb: float = 0.0
    attempts: int = 0
    returncode: int | None = None
    started: float = 0.0  # when grading began (seconds since the epoch)
    worker: str = ""  # the Dask worker that graded the student

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "StudentResult":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def environment(extra: dict | None = None) -> dict:
    env = dict(os.environ, PATH=tools_path())
    env.update(extra or {})
    return env


def autograde_command(assignment: str, student: str, url: str, options=()) -> list[str]:
    return [*nbgrader_command(), "autograde", assignment, f"--student={student}", "--force",
            f"--CourseDirectory.db_url={url}", *options]


def dying_with_us(command: list[str]) -> list[str]:
    """`command`, killed when the process that started it dies (util-linux's setpriv sets the kernel's
    parent-death signal, then runs it). A Dask worker that dies mid-student takes its autograde along
    (the kernel follows: bubblewrap's --die-with-parent), so the retry on another worker is the only
    one writing that student's grades."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *command] if setpriv else command


@dataclass
class Attempt:
    returncode: int
    output: str
    seconds: float
    peak_mb: float
    timed_out: bool


def run_once(command: list[str], cwd: Path, env: dict, log_path: Path, timeout: float | None,
             on_start=None, handover: dict | None = None) -> Attempt:
    from smiley_grader.cache_handover import pipe_for

    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    timed_out = threading.Event()
    pipe, extra = pipe_for(handover) if handover else (None, {})
    with log_path.open("w") as log:
        try:
            process = subprocess.Popen(dying_with_us(command), cwd=cwd, env={**env, **extra}, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True,
                                       pass_fds=(pipe,) if pipe is not None else ())
        finally:
            if pipe is not None:
                os.close(pipe)
        RUNNING.add(process.pid)

        def stop():
            timed_out.set()
            kill_group(process.pid)

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.daemon = True
            timer.start()
        try:
            if on_start:
                on_start(process)
        finally:  # whatever on_start did, the subprocess is waited for
            try:
                _, status, usage = os.wait4(process.pid, 0)
            finally:
                if timer:
                    timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        kill_group(process.pid)  # a kernel left behind by a killed nbgrader
        RUNNING.discard(process.pid)
    output = log_path.read_text(errors="replace")
    return Attempt(process.returncode, output, time.perf_counter() - started, usage.ru_maxrss / 1024,
                   timed_out.is_set())


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_running() -> int:
    """Stop every autograde this process started and still waits for (a stopped run); how many."""
    groups = list(RUNNING)
    for pid in groups:
        kill_group(pid)
    return len(groups)


def failure_reason(attempt: Attempt, timeout: float | None) -> str:
    from smiley_checks.messages import say

    if attempt.timed_out:
        return say("grade.reason.timeout", seconds=f"{timeout:g}")
    if attempt.returncode < 0:
        return say("grade.reason.signal", signal=signal.Signals(-attempt.returncode).name)
    if is_locked(attempt.output):
        return say("grade.reason.locked")
    lines = [line.strip() for line in attempt.output.splitlines() if "ERROR" in line or "Error" in line]
    last = lines[-1] if lines else (attempt.output.strip().splitlines() or [""])[-1]
    return say("grade.reason.exit", code=attempt.returncode, line=last[:200])


def grade_student(student: str, assignment: str, course_root: Path, url: str, *, env: dict | None = None,
                  timeout: float | None = None, options=(), on_start=None, log_dir: Path | None = None,
                  retries: int = LOCK_RETRIES, cache=None) -> StudentResult:
    """`cache`: the class run's VerdictCache, handed to nbgrader over a pipe."""
    from smiley_grader.classgrading.notes import notebook_notes
    from smiley_grader.sandbox_kernel import REPORT_VARIABLE, read_report

    course_root = Path(course_root)
    log_dir = log_dir or course_root / "classgrading" / "logs" / assignment
    command = autograde_command(assignment, student, url, options)
    seconds = peak = 0.0
    started = time.time()
    sandbox_report = log_dir / f"{student}.sandbox.jsonl"  # what the sandbox stopped (no kernel can reach it)
    for attempt_number in range(1, retries + 2):
        sandbox_report.unlink(missing_ok=True)
        attempt = run_once(command, course_root, environment({**(env or {}), REPORT_VARIABLE: str(sandbox_report)}),
                           log_dir / f"{student}.log", timeout, on_start,
                           handover=cache.handover() if cache is not None else None)
        seconds += attempt.seconds
        peak = max(peak, attempt.peak_mb)
        locked = attempt.returncode != 0 and not attempt.timed_out and is_locked(attempt.output)
        if not locked or attempt_number > retries:
            break
        time.sleep(0.5 * attempt_number)
    result = StudentResult(student, "graded", seconds=round(seconds, 2), peak_mb=round(peak, 1),
                           attempts=attempt_number, returncode=attempt.returncode, started=started)
    if attempt.returncode != 0:
        result.status = "failed"
        result.reason = failure_reason(attempt, timeout)
    result.notes = notebook_notes(course_root, student, assignment)
    result.notes += [note for note in read_report(sandbox_report) if note not in result.notes]
    return result
