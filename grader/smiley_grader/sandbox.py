"""The sandbox a student's kernel runs in while it is graded: bubblewrap (`bwrap`) plus rlimits.

    argv = command(kernel_argv, workdir, runtime, Limits())        # what Popen runs instead
    why = problem()                                                # None, or one line: why no sandbox here

Inside it the kernel sees the system's programs and libraries (/usr, Python, the venv, this
package, the smileys) read-only, a copy of its own student's folder in a private tmpfs, and its
connection file (read-only). Nothing else of the machine: no course folder (source/, gradebook.db,
nbgrader_config.py, classmates), no /tmp of the host, no verdict cache, no other process (own pid
namespace), no network (own network namespace; the kernel talks to nbgrader over unix sockets,
ZMQ's `ipc` transport, in a small tmpfs of the sandbox that the grader reaches through
/proc/<pid>/root, see docs/sandbox.md). It writes nothing on the host's disk.

Limits: processes (threads count too), the size of one file, memory per process, and size and number
of files of every writable folder (/tmp, the home folder, /dev/shm, the sockets' folder: tmpfs
mounts with size and nr_inodes, made by the first step inside the sandbox, before anything of the
student runs); the wall-clock limit per notebook and the memory of all its processes together are
kept by the kernel manager (sandbox_kernel.py). When the kernel stops, bwrap's pid 1 stops and the
Linux kernel kills everything left in the sandbox. No user namespace can be made inside (bwrap's
--disable-userns; as root: a seccomp filter), so no process can mount a tmpfs of its own.

A grader that is not root runs bwrap in a user namespace (the usual way). A grader running as root
(a container, CI) is never held to RLIMIT_NPROC, so there bwrap makes the namespaces as root and the
kernel switches to a uid of its own (setpriv) before anything of the student runs.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from smiley_grader.limits import KERNEL_MEMORY_BYTES
from smiley_grader.seccomp import user_namespace_filter

# Where things are inside the sandbox.
HOME = "/home/student"
SUBMITTED = "/run/submitted"  # the student's own graded folder, read-only; copied into HOME first
CONNECTION = "/run/connection"  # the host folder with the kernel's connection file, read-only
SOCKETS = "/run/kernel"  # the kernel's ZMQ sockets: a tmpfs of the sandbox (the grader: /proc/<pid>/root/run/kernel)
SHM = "/dev/shm"
FILTER = "seccomp.bpf"  # in the kernel's runtime folder: the seccomp filter bwrap loads (seccomp.py)
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
    # Python's multiprocessing keeps its semaphores here; 64 MiB is Docker's /dev/shm too.
    shm_bytes: int = 64 * 1024**2
    # Files and folders in each of /tmp and the home folder (a tmpfs's nr_inodes: each costs kernel
    # memory that no size limit counts). An honest kernel makes a few dozen (matplotlib, Keras).
    files: int = 4096

    def prlimit(self) -> list[str]:
        return ["prlimit", f"--nproc={self.processes}", f"--fsize={self.file_bytes}",
                f"--as={self.memory_bytes}", "--core=0", "--"]

    def writable(self) -> list[tuple[str, int, int, str]]:
        """(folder, bytes, files, mode) of every writable folder in the sandbox: each a tmpfs."""
        return [("/tmp", self.tmp_bytes, self.files, "1777"), (HOME, self.disk_bytes, self.files, "0700"),
                (SHM, self.shm_bytes, SHM_FILES, "1777"), (SOCKETS, SOCKETS_BYTES, SOCKETS_FILES, "0700")]


# /dev/shm: semaphores and a few shared arrays. The sockets' folder: the kernel's five sockets.
SHM_FILES = 256
SOCKETS_BYTES = 64 * 1024
SOCKETS_FILES = 16
# Mounts the writable folders (run by the students' Python, -I -S: nothing of the student is read).
# bwrap's own --tmpfs takes a size but no nr_inodes, so the sandbox's first step mounts them itself
# with CAP_SYS_ADMIN, which it drops (setpriv) before anything of the student runs. A tmpfs mounted on
# /tmp would hide what bwrap bound below it (a course or its venv under /tmp: a CI clone), so /tmp's is
# made aside (STAGE), gets those folders bound in (a bind keeps their read-only flag), and then moves
# onto /tmp.
STAGE = "/run/tmp-stage"
MOUNT = r"""
import ctypes, json, os, sys
libc = ctypes.CDLL(None, use_errno=True)
NOSUID_NODEV, BIND_REC, MOVE = 6, 4096 | 16384, 8192
def mount(source, target, kind, flags, options):
    if libc.mount(source, target.encode(), kind, flags, options) != 0:
        sys.exit(f"mount {target}: {os.strerror(ctypes.get_errno())}")
mounts, stage, below_tmp = json.loads(sys.argv[1])
for folder, options in mounts:
    aside = folder == "/tmp" and below_tmp
    mount(b"tmpfs", stage if aside else folder, b"tmpfs", NOSUID_NODEV, options.encode())
    if aside:
        for path in below_tmp:
            inside = stage + path[len("/tmp"):]
            os.makedirs(inside, 0o755)
            mount(path.encode(), inside, None, BIND_REC, None)
        mount(stage.encode(), "/tmp", None, MOVE, None)
"""


def mount_options(limits: Limits, uid: int | None, below_tmp: list[str] = ()) -> str:
    """The writable folders and their tmpfs options, and the bound folders below /tmp, as MOUNT's argument."""
    mounts = []
    for folder, size, files, mode in limits.writable():
        options = f"size={size},nr_inodes={files},mode={mode}"
        if uid is not None and mode == "0700":  # the kernel's own folders, when it runs as a uid of its own
            options += f",uid={uid},gid={uid}"
        mounts.append((folder, options))
    return json.dumps([mounts, STAGE, list(below_tmp)])


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


def mount_python() -> str:
    """The Python that mounts the writable folders: the students' (it is in the sandbox; the teacher's is not)."""
    from smiley_grader.student_kernel import default_student_python

    return default_student_python() or sys.executable


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
    `runtime`: the kernel's own host folder with its connection file (read-only inside; the seccomp
    filter is written there too); the sockets are in the sandbox's SOCKETS tmpfs;
    `uid`: run the kernel as this uid (a root grader, no user namespace: the first step keeps a few
    capabilities, and setpriv drops them all before the kernel starts). None: the grader's own user
    in a user namespace, as uid 0 there."""
    args = [bwrap() or "bwrap", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        # The kernel is uid 0 of a user namespace of its own (the grader's user outside): then the first
        # step may mount the writable folders (as any other uid bwrap would nest a second namespace
        # that cannot), and setpriv leaves it no capability, not even at exec (securebits noroot).
        args += ["--unshare-all", "--uid", "0", "--gid", "0"]
    else:
        args += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                 # until setpriv: copy the student's folder (even if only root may read it), give it away, switch
                 "--cap-add", "CAP_DAC_READ_SEARCH", "--cap-add", "CAP_CHOWN",
                 "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    # until setpriv: mount the writable folders; drop the capability bounding set
    args += ["--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETPCAP"]
    mounts = Mounts()
    for folder in ("/tmp", HOME, SOCKETS, STAGE):  # mount points; the first step mounts a tmpfs on each
        mounts.parents(folder)
        mounts.args += ["--perms", "0755", "--dir", folder]
        mounts.made.add(folder)
    for path in SYSTEM:
        if os.path.islink(path):
            mounts.args += ["--symlink", os.readlink(path), path]
            mounts.made.add(path)
        elif os.path.isdir(path):
            mounts.add("--ro-bind", path)
    for path in ETC:
        if os.path.exists(path):
            mounts.add("--ro-bind", path)
    below_tmp = []
    for path in read_only_dirs():
        if Path(workdir).resolve().is_relative_to(path):  # then every kernel could read the whole course
            from smiley_checks.messages import say

            raise RuntimeError(say("sandbox.course_inside", folder=workdir, shared=path))
        mounts.add("--ro-bind", path)
        if path.is_relative_to("/tmp"):
            below_tmp.append(str(path))
    mounts.add("--ro-bind", runtime, CONNECTION)
    mounts.add("--ro-bind", workdir, SUBMITTED)
    args += mounts.args + ["--proc", "/proc", "--dev", "/dev", "--chdir", HOME, "--remount-ro", "/dev", "--remount-ro", "/"]
    # Mount the writable folders; copy the student's folder into the home tmpfs and the connection file
    # into the sockets' folder (ipykernel rewrites it when anything in it differs from what it bound: it
    # must find it writable); as root, give the copies to the kernel's uid and switch to it; drop every
    # capability (setpriv); then set the limits and become the kernel (with the environment the sandbox
    # passes on: the shell's cd leaves OLDPWD and PWD, which go).
    work = Path(workdir).name or "work"
    files = [Path(arg).relative_to(runtime) for arg in kernel_argv if Path(arg).is_relative_to(runtime)]
    owner = f"{uid}:{uid}" if uid is not None else ""
    step = '"$0" -I -S -c "$1" "$2" && cd "$HOME" && mkdir "$4" && cp -R "$3"/. "$4" && '
    for name in files:
        step += f'cp "{CONNECTION}/{name}" "{SOCKETS}/{name}" && ' + (f'chown {owner} "{SOCKETS}/{name}" && ' if owner else "")
    step += (f'chown -R {owner} "$4" && ' if owner else "") + 'cd "$4" && unset OLDPWD PWD && shift 4 && exec "$@"'
    switch = ["setpriv", "--no-new-privs", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all",
              "--securebits=+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked"]
    if uid is not None:
        switch[1:1] = [f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
    kernel = [f"{SOCKETS}/{Path(arg).relative_to(runtime)}" if Path(arg).is_relative_to(runtime) else arg
              for arg in kernel_argv]
    inside = ["--", "/bin/sh", "-c", step, mount_python(), MOUNT, mount_options(limits, uid, below_tmp), SUBMITTED, work,
              *switch, "--", *limits.prlimit(), *kernel]
    program = user_namespace_filter()
    if program is None:  # an architecture without the filter: docs/sandbox.md says what that leaves open
        return args + inside
    # bwrap reads the filter from a file descriptor: a shell opens it as 3, then becomes bwrap (same pid).
    (Path(runtime) / FILTER).write_bytes(program)
    return ["/bin/sh", "-c", 'exec 3<"$0" && exec "$@"', str(Path(runtime) / FILTER),
            *args, "--seccomp", "3", *inside]


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
