"""How the course's hidden inputs reach a sandboxed kernel (issue 21): through its environment, which
bwrap gets from Popen, never on a command line that every user of the machine can read (`ps`,
/proc/<pid>/cmdline); and the course's secret they are drawn from stays out of the kernel's reach.

While GradingExecute grades a small layers notebook in the sandbox, a thread reads the cmdline of
every process of that grading (bwrap, setpriv, the kernel, the judge, ...) many times a second.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from smiley_checks.tasks.hand_in import HIDDEN_INPUTS_ENV
from smiley_grader import sandbox
from smiley_grader.course_init import init_course
from smiley_grader.course_secret import SECRET_FILE, course_secret
from smiley_grader.hidden_checks import hidden_inputs_literal
from smiley_grader.hidden_inputs import draw
from smiley_grader.sandbox_kernel import descendants

from test_sandbox import run  # noqa: E402 (tests/sandbox is on the path while pytest runs this folder)

pytestmark = pytest.mark.skipif(sandbox.problem() is not None, reason=f"no sandbox here: {sandbox.problem()}")


def is_kernel(line: str) -> bool:
    """The kernel's own command line (Python running ipykernel), not bwrap's or the shell's that carry it."""
    return "ipykernel_launcher" in line and line.split(" ", 1)[0].rsplit("/", 1)[-1].startswith("python")


class ProcessWatch(threading.Thread):
    """The command line of every process this test starts (nbgrader's kernel, bwrap, the judge, ...), and
    the environment and /proc/<pid>/environ mode of the kernels."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.cmdlines: dict[int, set[str]] = {}
        self.kernels: dict[int, tuple[bytes, os.stat_result]] = {}

    def run(self):
        # Only this grading's processes (the machine may run other gradings, with their own inputs).
        while not self.stop.is_set():
            for entry in map(str, descendants(os.getpid())):
                try:
                    line = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                    self.cmdlines.setdefault(int(entry), set()).add(line)
                    if is_kernel(line):
                        self.kernels[int(entry)] = (Path(f"/proc/{entry}/environ").read_bytes(),
                                                    os.stat(f"/proc/{entry}/environ"))
                except OSError:
                    continue
            time.sleep(0.05)


def layers_notebook():
    def test_cell(source, grade_id, points):
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                     "points": points, "schema_version": 3}
        return cell

    nb = new_notebook(cells=[
        new_code_cell("import time\nfrom smiley_checks import checks\n\n"
                      "def dense_params(inputs, units):\n    return (inputs + 1) * units\n\ntime.sleep(2)"),
        test_cell("checks.dense_params.hand_in(dense_params)", "dense_params", 2),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def test_the_hidden_inputs_are_on_no_command_line_while_a_notebook_is_graded(tmp_path, english):
    from smiley_grader.nbgrader_plugin import GradingExecute

    course = tmp_path / "course"
    init_course(course, ("layers",))
    own = course / "autograded" / "ada" / "layers"
    own.mkdir(parents=True)
    literal = hidden_inputs_literal(course)
    inputs = draw(course_secret(course))
    config = Config()
    config.KernelSandbox.mode = "on"
    config.CourseDirectory.root = str(course)
    execute = GradingExecute(config=config, timeout=60)
    watch = ProcessWatch()
    watch.start()
    try:
        nb, _ = execute.preprocess(layers_notebook(), {"nbgrader": {"assignment": "layers", "notebook": "layers"},
                                                       "metadata": {"path": str(own)}})
    finally:
        watch.stop.set()
        watch.join()

    # The inputs reached the kernel and the judge, and the two agreed: the right answer passed.
    assert not [o for o in nb.cells[1].outputs if o.output_type == "error"], nb.cells[1].outputs
    # The watch saw the sandbox at work...
    seen = [line for lines in watch.cmdlines.values() for line in lines]
    assert any(line.startswith(str(sandbox.bwrap())) for line in seen)
    assert watch.kernels, "the watch never saw the kernel"
    # ...and the hidden inputs in the kernel's environment (so it would find them anywhere it looks)...
    environ, mode = next(iter(watch.kernels.values()))
    assert f"{HIDDEN_INPUTS_ENV}={literal}".encode() in environ.split(b"\0")
    # ...but on no command line: not the variable's name, not any task's calls.
    pieces = [HIDDEN_INPUTS_ENV, literal[:60]] + [repr(calls)[:60] for calls in inputs.values()]
    leaked = [(piece, line[:200]) for line in seen for piece in pieces if piece in line]
    assert not leaked, leaked
    # The kernel's environment is its own: /proc/<pid>/environ is 0400, owned by the kernel's uid, or by
    # root where Linux marks the kernel not dumpable (measured 2026-12-04 as root: owned by root).
    assert stat.S_IMODE(mode.st_mode) == 0o400
    assert mode.st_uid in ({sandbox.UID_BASE + os.getpid(), 0} if os.geteuid() == 0 else {os.geteuid()})
    # Only what the sandbox passes on (sandbox.ENV_NAMES and the fixed names), nothing the launcher adds.
    names = {item.split(b"=", 1)[0].decode() for item in environ.split(b"\0") if item}
    fixed = {"HOME", "TMPDIR", "USER", "LOGNAME", "PATH", "JPY_PARENT_PID", "MPLCONFIGDIR"}
    assert names <= set(sandbox.ENV_NAMES) | fixed | {n for n in names if n.startswith(sandbox.ENV_PREFIXES)}
    assert b"JPY_PARENT_PID=1" in environ.split(b"\0")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to try as another user")
def test_another_user_reads_the_kernels_command_line_but_not_its_environment(tmp_path):
    """As a hub student's terminal would (uid 65534 here): /proc/<kernel>/cmdline, where bwrap's
    --setenv used to put the hidden inputs, is readable; /proc/<kernel>/environ is not."""
    import subprocess

    results = {}

    def look_as_nobody():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "pid" not in results:
            for entry in os.listdir("/proc"):
                try:
                    line = Path(f"/proc/{entry}/cmdline").read_bytes()
                except OSError:
                    continue
                if is_kernel(line.replace(b"\0", b" ").decode("utf-8", "replace")):
                    results["pid"] = entry
                    break
            time.sleep(0.05)
        for name in ("cmdline", "environ"):
            if "pid" in results:
                as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                results[name] = subprocess.run([*as_nobody, "cat", f"/proc/{results['pid']}/{name}"],
                                               capture_output=True, text=True, errors="replace")

    looker = threading.Thread(target=look_as_nobody)
    looker.start()
    own = tmp_path / "autograded" / "ada" / "layers"
    own.mkdir(parents=True)
    run("import time\ntime.sleep(3)", own)
    looker.join()
    assert "pid" in results, "never saw the kernel"
    assert results["cmdline"].returncode == 0 and "ipykernel_launcher" in results["cmdline"].stdout
    assert results["environ"].returncode != 0 and "Permission denied" in results["environ"].stderr


READ_THE_SECRET = """
def can_read(path):
    try:
        return open(path).read()
    except OSError as error:
        return type(error).__name__
print(can_read("../../../{name}"), can_read({path!r}))
"""


def test_no_kernel_can_read_the_course_secret(tmp_path):
    course = tmp_path / "course"
    init_course(course, ("layers",))
    own = course / "autograded" / "ada" / "layers"
    own.mkdir(parents=True)
    code = READ_THE_SECRET.format(name=SECRET_FILE, path=str(course / SECRET_FILE))
    printed, errors, _ = run(code, own)
    assert not errors and printed.split() == ["FileNotFoundError", "FileNotFoundError"]


def test_without_the_sandbox_a_kernel_reads_the_course_secret(tmp_path):
    """The check above would catch it: an ordinary kernel of the same user reads the secret."""
    from jupyter_client import AsyncKernelManager

    course = tmp_path / "course"
    init_course(course, ("layers",))
    own = course / "autograded" / "ada" / "layers"
    own.mkdir(parents=True)
    code = READ_THE_SECRET.format(name=SECRET_FILE, path=str(course / SECRET_FILE))
    printed, _, _ = run(code, own, manager_class=AsyncKernelManager)
    assert printed.count("The smiley course's secret") == 2
