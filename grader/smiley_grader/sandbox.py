"""The sandbox a student's kernel runs in while it is graded: bubblewrap (`bwrap`) plus rlimits.

    argv = command(kernel_argv, workdir, runtime, Limits())        # what Popen runs instead
    why = problem()                                                # None, or one line: why no sandbox here

Inside it the kernel sees the system's programs and libraries (/usr, Python, the venv, this
package, the smileys) read-only, a copy of its own student's folder in a private tmpfs, and the
folder of its own connection file and sockets. Nothing else of the machine: no course folder
(source/, gradebook.db, nbgrader_config.py, classmates), no /tmp of the host, no verdict cache, no
other process (own pid namespace), no network (own network namespace; the kernel talks to nbgrader
over unix sockets, ZMQ's `ipc` transport, see docs/sandbox.md). Limits: processes (threads
count too), the size of one file, the space of its writable folders, memory; the wall-clock limit per
notebook is kept by the kernel manager (sandbox_kernel.py). When the kernel stops, bwrap's pid 1
stops and the Linux kernel kills everything left in the sandbox.

A grader that is not root runs bwrap in a user namespace (the usual way). A grader running as root
(a container, CI) is never held to RLIMIT_NPROC, so there bwrap makes the namespaces as root and the
kernel switches to a uid of its own (setpriv) before anything of the student runs.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from smiley_grader.limits import KERNEL_MEMORY_BYTES

# Where things are inside the sandbox.
HOME = "/home/student"
SUBMITTED = "/run/submitted"  # the student's own graded folder, read-only; copied into HOME first
# Kernels of a grader running as root get uid UID_BASE + the grading process's pid (see sandbox_user).
UID_BASE = 1_000_000
# System folders the kernel needs to run Python (symlinks on merged-/usr systems are kept as symlinks).
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/nsswitch.conf",
       "/etc/alternatives", "/etc/fonts", "/etc/mime.types")
# The environment a kernel gets: these names (and prefixes) only, nothing of the teacher's shell
# (JPY_PARENT_PID becomes 1: the grader's pid means nothing in another pid namespace).
ENV_NAMES = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONHASHSEED", "NBGRADER_EXECUTION",
             "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "MPLBACKEND", "GRPC_VERBOSITY", "ABSL_MIN_LOG_LEVEL",
             "SMILEY_CHECKS_HIDDEN_INPUTS", "SMILEY_CHECKS_LANG", "SMILEY_CHECKS_DATA", "JPY_SESSION_NAME")
ENV_PREFIXES = ("TF_", "KERAS_")
# The package the kernel imports (an editable install lives in the repository, whose source/ holds
# the solutions: bind the package folder only, never its parent). Never the grader's: the kernel
# runs with the students' Python (student_kernel.py), and the grader's files stay out of its sight.
PACKAGES = ("smiley_checks",)


@dataclass(frozen=True)
class Limits:
    # Threads count too. Training the original network in Python takes 11 threads on 2 cores
    # (measured 2026-12-01); TensorFlow's pools grow with the cores, ipykernel adds a few. 256 leaves
    # room for a big server and stops a fork bomb early (raise it on a machine with 64+ cores).
    processes: int = 256
    file_bytes: int = 64 * 1024**2  # one file; the original network has 2,000 parameters (8 kB)
    disk_bytes: int = 256 * 1024**2  # the home folder with the copy of the student's folder
    tmp_bytes: int = 64 * 1024**2  # /tmp
    memory_bytes: int = KERNEL_MEMORY_BYTES

    def prlimit(self) -> list[str]:
        return ["prlimit", f"--nproc={self.processes}", f"--fsize={self.file_bytes}",
                f"--as={self.memory_bytes}", "--core=0", "--"]


def bwrap() -> str | None:
    return shutil.which("bwrap")


def sandbox_user() -> int | None:
    """The uid the kernel runs as when grading as root, else None (the grader's own user, in a user namespace).

    Root is never held to RLIMIT_NPROC, so a root grader gives each kernel a uid of its own (no
    entry in /etc/passwd; one per nbgrader process, so two kernels at once never share a count)."""
    return UID_BASE + os.getpid() if os.geteuid() == 0 else None


def package_dirs() -> list[Path]:
    found = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            # Resolved: the isolated grader reaches it through a link (isolation.py), the kernel by its real path.
            found += [Path(os.path.realpath(p)) for p in spec.submodule_search_locations]
    return found


def read_only_dirs() -> list[Path]:
    """What the kernel may read besides the system: Python, the venv, the packages, the smileys."""
    from smiley_checks.dataset.layout import data_dir

    from smiley_grader.student_kernel import default_student_python

    # The students' environment (not the teacher's: that one holds the grader's install records).
    student = Path(default_student_python() or sys.executable)
    dirs = [Path(sys.base_prefix), student.parent.parent, *package_dirs(), data_dir()]
    # Where the environment's python points to (pyenv, /usr/local, ...).
    dirs.append(Path(os.path.realpath(student)).parent.parent)
    unique: list[Path] = []
    for path in sorted({Path(os.path.abspath(d)) for d in dirs if Path(d).exists()}, key=lambda p: len(p.parts)):
        if path == Path("/") or any(path.is_relative_to(u) for u in unique) or path.is_relative_to("/usr"):
            continue
        unique.append(path)
    return unique


def environment(env: dict) -> dict[str, str]:
    """The whole environment of the sandbox: bwrap gets it from Popen and passes it on to the kernel.

    Never as `--setenv NAME VALUE` arguments: a command line is readable by every user of the
    machine (`ps`, /proc/<pid>/cmdline), an environment only by the process's own user and root,
    and the hidden inputs are among these values."""
    keep = {k: v for k, v in env.items() if k in ENV_NAMES or k.startswith(ENV_PREFIXES)}
    bins = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    # The kernel's parent in its pid namespace is bwrap's pid 1 (ipykernel then neither polls it
    # nor prints its "To connect another client" banner).
    keep.update(HOME=HOME, TMPDIR="/tmp", USER="student", LOGNAME="student", PATH=bins, JPY_PARENT_PID="1",
                MPLCONFIGDIR=f"{HOME}/.config/matplotlib")
    return keep


class Mounts:
    """bwrap arguments that put host folders at the same path inside; every folder bwrap has to
    create on the way gets mode 0755 (bwrap's own are 0700: a kernel that is not root could not pass)."""

    def __init__(self):
        self.args: list[str] = []
        self.made: set[str] = {"/"}

    def parents(self, path: str) -> None:
        for parent in reversed(Path(path).parents):
            if str(parent) not in self.made:
                self.args += ["--perms", "0755", "--dir", str(parent)]
                self.made.add(str(parent))

    def add(self, option: str, source, target=None) -> None:
        target = str(target or source)
        self.parents(target)
        self.args += [option, str(source), target]
        self.made.add(target)


def command(kernel_argv: list[str], workdir: Path, runtime: Path, limits: Limits = Limits(),
            uid: int | None = None) -> list[str]:
    """The bwrap command line that runs `kernel_argv` sandboxed; run it with env=environment(...).

    `workdir`: the student's graded folder (copied into the sandbox, never written);
    `runtime`: the kernel's own folder with its connection file and sockets (shared read-write);
    `uid`: run the kernel as this uid (a root grader, no user namespace: the copy step keeps four
    capabilities, and setpriv drops them all before the kernel starts). None: the grader's own user
    in a user namespace."""
    args = [bwrap() or "bwrap", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        args += ["--unshare-all"]
    else:
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                 # until setpriv: copy the student's folder (even if only root may read it), give it away, switch
                 "--cap-add", "CAP_DAC_READ_SEARCH", "--cap-add", "CAP_CHOWN",
                 "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    mounts = Mounts()
    # The writable tmpfs folders first: a bind below /tmp (the kernel's sockets) must land on top.
    mounts.parents(HOME)
    mounts.args += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp",
                    "--perms", "0777", "--size", str(limits.disk_bytes), "--tmpfs", HOME]
    mounts.made |= {"/tmp", HOME}
    for path in SYSTEM:
        if os.path.islink(path):
            mounts.args += ["--symlink", os.readlink(path), path]
            mounts.made.add(path)
        elif os.path.isdir(path):
            mounts.add("--ro-bind", path)
    for path in ETC:
        if os.path.exists(path):
            mounts.add("--ro-bind", path)
    for path in read_only_dirs():
        if Path(workdir).resolve().is_relative_to(path):  # then every kernel could read the whole course
            from smiley_checks.messages import say

            raise RuntimeError(say("sandbox.course_inside", folder=workdir, shared=path))
        mounts.add("--ro-bind", path)
    mounts.add("--bind", runtime)
    mounts.add("--ro-bind", workdir, SUBMITTED)
    args += mounts.args + ["--proc", "/proc", "--dev", "/dev", "--chdir", HOME, "--remount-ro", "/"]
    # Copy the student's folder into the tmpfs; as root, give the copy to the kernel's uid and switch to
    # it (setpriv drops every capability); then set the limits and become the kernel.
    work = Path(workdir).name or "work"
    copy = 'mkdir "$1" && cp -R "$0"/. "$1" && '
    switch: list[str] = []
    if uid is not None:
        copy += f'chown -R {uid}:{uid} "$1" && '
        switch = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                  "--inh-caps=-all", "--bounding-set=-all"]
    copy += 'cd "$1" && shift && exec "$@"'
    return args + ["--", "/bin/sh", "-c", copy, SUBMITTED, work, *switch, *limits.prlimit(), *kernel_argv]


def problem() -> str | None:
    """None when a kernel can be sandboxed here; otherwise one line saying why not."""
    from smiley_checks.messages import say

    if bwrap() is None:
        return say("sandbox.no_bwrap")
    scratch = Path(tempfile.mkdtemp(prefix="smiley-probe-"))
    try:
        (scratch / "work").mkdir()
        probe = command(["true"], scratch / "work", scratch, uid=sandbox_user())
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30, env=environment(dict(os.environ)))
    except (OSError, subprocess.TimeoutExpired) as error:
        return say("sandbox.cannot_start", why=str(error))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if done.returncode != 0:
        return say("sandbox.cannot_start", why=(done.stderr.strip().splitlines() or ["?"])[-1])
    return None
