"""Our two packages installed the way a school installs them, not checked out: wheels built from a
copy of this checkout, each in a fresh virtual environment outside the repository, with the
pinned versions of requirements.lock (pip takes them from its cache or the registry).

    <top>/envs/smileys-student   the students' environment: smiley_checks, no grader
    <top>/envs/smileys           the teacher's: smiley_checks and smiley_grader
    <top>/envs/smileys-gateway   the training gateway's: both wheels, the other packages read from the
                                 students' environment through a .pth (no third TensorFlow to unpack)

<top> is a folder in /tmp that other users may enter (the hub test's students and teacher are
OS users of their own). Everything is removed at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from smiley_checks.dataset.layout import REPO_ROOT

LOCK = REPO_ROOT / "requirements.lock"


@dataclass
class Installed:
    top: Path
    wheels: dict[str, Path]
    student_env: Path
    teacher_env: Path
    gateway_env: Path

    def tool(self, env: Path, name: str) -> str:
        return str(env / "bin" / name)

    @staticmethod
    def shell(home: Path, env: Path | None = None, **extra) -> dict:
        """A person's shell: their HOME, the environment's bin/ first, nothing of this test run's Python."""
        path = f"{env / 'bin'}:/usr/local/bin:/usr/bin:/bin" if env else "/usr/local/bin:/usr/bin:/bin"
        return {"HOME": str(home), "PATH": path, "LANG": "C.UTF-8", "TF_CPP_MIN_LOG_LEVEL": "3", **extra}


def build_wheels(folder: Path) -> None:
    """Both wheels into folder/dist, each built from a copy (the build leaves nothing in the checkout).
    The copy of grader/ turns course_template's links into the files they point at."""
    copies = folder / "copies"
    student = copies / "smiley_checks"
    student.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, student / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    shutil.copytree(REPO_ROOT / "smiley_checks", student / "smiley_checks", ignore=ignore)
    shutil.copytree(REPO_ROOT / "data", student / "data", ignore=ignore)
    grader = copies / "smiley_grader"
    shutil.copytree(REPO_ROOT / "grader", grader, ignore=ignore)
    dist = folder / "dist"
    for source in (student, grader):
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "-w", str(dist), str(source)], check=True, capture_output=True)


def wheels_in(top: Path) -> dict[str, Path]:
    dist = top / "wheels" / "dist"
    return {"student": next(dist.glob("smiley_checks-*.whl")), "grader": next(dist.glob("smiley_grader-*.whl"))}


def base_python() -> str:
    """The interpreter our own venv was made from (a venv of a venv is not possible)."""
    return getattr(sys, "_base_executable", sys.executable)


def start_install(env: Path, requirements: list[str], log: Path) -> subprocess.Popen:
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(env)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "--quiet",
           "--disable-pip-version-check", "-r", str(LOCK), *requirements]
    return subprocess.Popen(pip, stdout=log.open("w"), stderr=subprocess.STDOUT, env=pip_environment())


def pip_environment() -> dict:
    """This run's environment without what would send pip's files elsewhere (PYTHON*, PIP_TARGET)."""
    return {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PIP_TARGET"))}


def check_install(env: Path, log: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"pip check in {env}:\n{done.stdout}{done.stderr}\n{log.read_text()[-3000:]}"


def make_gateway_env(env: Path, student_env: Path, wheels: dict[str, Path]) -> None:
    subprocess.run([base_python(), "-m", "venv", "--without-pip", str(env)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "--quiet",
                    "--disable-pip-version-check", "--no-deps", str(wheels["student"]), str(wheels["grader"])],
                   check=True, capture_output=True, env=pip_environment())
    # After the install: with the students' packages in view, pip would find smiley_checks there and skip it.
    site = next((env / "lib").glob("python*/site-packages"))
    student_site = next((student_env / "lib").glob("python*/site-packages"))
    (site / "_students_packages.pth").write_text(f"{student_site}\n")
    assert (env / "bin" / "smiley-checks").exists(), f"the gateway's environment in {env} has no smiley-checks"


@pytest.fixture(scope="session")
def installed():
    kept = os.environ.get("SMILEY_INSTALLED_KEEP")  # developers: a folder to keep (and reuse) the installs in
    top = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="smiley-installed-"))
    envs = top / "envs"
    student_env, teacher_env, gateway_env = envs / "smileys-student", envs / "smileys", envs / "smileys-gateway"
    try:
        if not (kept and (gateway_env / "bin" / "smiley-checks").exists()):
            top.mkdir(parents=True, exist_ok=True)
            top.chmod(0o755)
            build_wheels(top / "wheels")
            wheels = wheels_in(top)
            # Both at once: most of the time goes to unpacking TensorFlow, on two cores.
            jobs = {student_env: [wheels["student"]], teacher_env: [wheels["student"], wheels["grader"]]}
            started = {env: start_install(env, [str(w) for w in needs], top / f"pip-{env.name}.log")
                       for env, needs in jobs.items()}
            for env, job in started.items():
                log = top / f"pip-{env.name}.log"
                assert job.wait(timeout=900) == 0, f"installing into {env} failed:\n{log.read_text()[-3000:]}"
                check_install(env, log)
            make_gateway_env(gateway_env, student_env, wheels)
            for path in (top / "wheels", envs):
                path.chmod(0o755)
        yield Installed(top, wheels_in(top), student_env, teacher_env, gateway_env)
    finally:
        if not kept:
            shutil.rmtree(top, ignore_errors=True)
