"""Run the judge so that nothing a student's kernel wrote can stand in for it.

Every kernel runs as the same user as the grader, so it can write files the judge
would otherwise load: a `smiley_checks/` folder in the course folder (the judge's
working directory), a `.pth` file in the writable virtual environment (run by every
Python that starts there), or an edited file of smiley_checks or smiley_grader
themselves. So the judge (and, under `smiley-checks grade`, every nbgrader process)
starts as `python -I -S` (no working directory, user site,
PYTHONPATH or .pth files on its path) in a fresh empty folder, with its path set
explicitly, and before it imports anything of ours it checks that the two packages'
files (sources and their compiled .pyc) are exactly those fingerprinted when the
grading run began, before the first kernel started. A file a kernel changed
stops the judge with one sentence and fails that task, never passes it.

What this does not cover: files of other packages (Keras, TensorFlow, ...) that a
kernel could edit in the environment. That needs the kernel sandbox (the grader runs
kernels without write access to the environment) or a separate OS user.
"""

from __future__ import annotations

import compileall
import hashlib
import json
import os
import sys
import sysconfig
import tempfile
from functools import lru_cache
from pathlib import Path

FINGERPRINT_ENV = "SMILEY_CHECKS_GRADER_FINGERPRINT"
PACKAGES = ("smiley_checks", "smiley_grader")

# Runs first in the judge's `python -I -S -c`: our code is not imported before the check.
BOOTSTRAP = r'''
import hashlib, json, os, sys
setup = json.loads(sys.argv[1])
sys.path[:0] = setup["path"]
sys.prefix, sys.exec_prefix = setup["prefix"]  # what `site` would have set: Jupyter finds its data by it
def _digest(folders):
    h = hashlib.sha256()
    for name, folder in sorted(folders.items()):
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                with open(path, "rb") as handle:
                    h.update(f"{name}/{os.path.relpath(path, folder)}\0".encode() + hashlib.sha256(handle.read()).digest())
    return h.hexdigest()
linked = all(os.path.realpath(os.path.join(setup["path"][-1], name)) == folder
             for name, folder in setup["packages"].items())
if not linked or _digest(setup["packages"]) != setup["fingerprint"]:
    print(json.dumps({"tampered": True}), flush=True)
    sys.exit(3)
import runpy
sys.argv = [setup["module"], *setup["argv"], *sys.argv[2:]]
runpy.run_module(setup["module"], run_name="__main__", alter_sys=True)
'''


def package_folders() -> dict[str, str]:
    import smiley_checks
    import smiley_grader

    return {module.__name__: str(Path(module.__file__).resolve().parent) for module in (smiley_checks, smiley_grader)}


def digest(folders: dict[str, str]) -> str:
    h = hashlib.sha256()
    for name, folder in sorted(folders.items()):
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for file in sorted(files):
                path = os.path.join(root, file)
                with open(path, "rb") as handle:
                    h.update(f"{name}/{os.path.relpath(path, folder)}\0".encode() + hashlib.sha256(handle.read()).digest())
    return h.hexdigest()


def pin_fingerprint() -> str:
    """Fingerprint our packages once per grading run, before any kernel starts; children inherit it.

    Compiles them first so that later imports (by kernels too) write no new .pyc files."""
    if not os.environ.get(FINGERPRINT_ENV):
        for folder in package_folders().values():
            compileall.compile_dir(folder, quiet=2)
        os.environ[FINGERPRINT_ENV] = digest(package_folders())
    return os.environ[FINGERPRINT_ENV]


def site_folders() -> list[str]:
    """The package folders this (trusted) process imports from, in order: its own site-packages and those
    its .pth files added (the teacher's environment reads the students' pinned packages that way)."""
    found = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    found += [entry for entry in sys.path if os.path.basename(entry) in ("site-packages", "dist-packages")]
    return [folder for folder in dict.fromkeys(found) if os.path.isdir(folder)]


@lru_cache(maxsize=1)
def packages_only() -> str:
    """A private folder holding only links to our two packages: their parent folder (in a checkout,
    the repository, which may be the course folder) is never on the judge's path."""
    folder = tempfile.mkdtemp(prefix="smiley-judge-path-")
    for name, target in package_folders().items():
        os.symlink(target, os.path.join(folder, name))
    return folder


def isolated_command(module: str, *argv: str, python: str | None = None) -> list[str]:
    """`python -m module argv...`, isolated: explicit path, no .pth files, our packages checked before use."""
    site_packages = site_folders()
    # Our packages come last (the bootstrap checks the links): nothing there can shadow Keras.
    setup = {"path": site_packages + [packages_only()], "packages": package_folders(),
             "prefix": [sys.prefix, sys.exec_prefix], "fingerprint": pin_fingerprint(), "module": module,
             "argv": list(argv)}
    return [python or sys.executable, "-I", "-S", "-c", BOOTSTRAP, json.dumps(setup)]


def judge_command(python: str | None = None) -> list[str]:
    return isolated_command("smiley_grader.judge", python=python)


def nbgrader_command() -> list[str]:
    """nbgrader, started isolated: no .pth files a kernel may have planted, no course folder on its path
    (a plain `python -m nbgrader` run in the course folder would import a planted smiley_grader/ there)."""
    return isolated_command("nbgrader")


def tools_path() -> str:
    """PATH for nbgrader's own helpers (it runs `alembic` from PATH): this Python's scripts, then the
    students' environment's, where the pinned packages' scripts are."""
    from smiley_grader.student_kernel import default_student_python

    folders = [str(Path(sys.executable).parent)]
    student = default_student_python()
    if student:
        folders.append(str(Path(student).parent))
    return os.pathsep.join([*folders, os.environ.get("PATH", "")])
