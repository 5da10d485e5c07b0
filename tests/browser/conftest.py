"""JupyterLab with nbgrader's extensions, on localhost, driven by headless Chromium.

One temporary course (smiley_grader.course.Course: its own exchange, its own
HOME per person) and one JupyterLab server per person, each on a free port, with its
own Jupyter config, data and settings folders. Everything is started by the fixtures
and stopped again (process groups killed) in `finally`, also when a test fails.

Chromium comes from Debian (`apt-get install chromium`, the Makefile does it): Playwright
cannot download its own browsers here. Without it these tests FAIL, they do not skip (the
`browser` fixture is in tests/conftest.py; the JupyterLab steps are in lab_steps.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from local_servers import VIEWPORT, LocalServer, free_port
from smiley_checks.dataset.layout import REPO_ROOT

ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "browser"
STUDENT = "ada"


class Lab(LocalServer):
    """One `jupyter lab` process for one person, in its own process group."""

    def __init__(self, who: str, home: Path, root_dir: Path, nbgrader_config: str, log: Path):
        self.who, self.home, self.root_dir = who, home, root_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config_dir = home / ".jupyter"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "nbgrader_config.py").write_text(nbgrader_config)
        settings = home / "lab-settings"
        # No "news" and "update" notifications over the notebook in the screenshots.
        notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        bin_dir = str(Path(sys.executable).parent)
        env = dict(
            os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
            JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
            PATH=os.pathsep.join([bin_dir, os.environ.get("PATH", "")]),
            TF_CPP_MIN_LOG_LEVEL="3", SMILEY_CHECKS_LANG=os.environ.get("SMILEY_CHECKS_LANG", "en"),
        )
        env.pop("JUPYTER_PATH", None)
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}",
            "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=", "--ServerApp.password=",
            f"--ServerApp.root_dir={root_dir}", f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={home / 'lab-workspaces'}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        super().__init__(f"jupyter lab ({who})", command, f"{self.url}/api/status", log, root_dir, env)

    def stop(self) -> None:
        """Stop the server and everything it started. Kernels run in their own session
        (jupyter_client starts them so), so their ids are taken before the server goes."""
        import psutil

        if self.process is None:
            return
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        self.stop_group(grace=10)
        for child in children:
            try:
                child.kill()  # psutil checks that it is still the same process
            except psutil.NoSuchProcess:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.close()


@pytest.fixture(scope="session")
def artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A temporary course with `break_the_model` and `layers` released into its own exchange."""
    from smiley_grader.course import Course

    course = Course.create(tmp_path_factory.mktemp("browser-course"), log=print)
    course.import_students([STUDENT])
    for assignment in ("break_the_model", "layers", "breek_het_model"):
        course.release(assignment)
    return course


def _start(lab: Lab):
    try:
        lab.start()
    except BaseException:
        lab.stop()
        raise
    return lab


@pytest.fixture(scope="module")
def student_lab(course, artifacts):
    home = course.home(STUDENT)
    work = home / "work"
    work.mkdir(parents=True, exist_ok=True)
    config = "\n".join([
        "c = get_config()",
        f"c.Exchange.root = {str(course.exchange)!r}",
        f"c.Exchange.cache = {str(home / '.nbgrader-cache')!r}",
        'c.CourseDirectory.course_id = "smileys"',
        f"c.CourseDirectory.student_id = {STUDENT!r}",
        "",
    ])
    lab = _start(Lab(STUDENT, home, work, config, artifacts / f"jupyter-{STUDENT}.log"))
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture(scope="module")
def teacher_lab(course, artifacts):
    home = course.home("teacher")
    config = "\n".join([
        "c = get_config()",
        f"c.Exchange.root = {str(course.exchange)!r}",
        f"c.CourseDirectory.root = {str(course.root)!r}",
        'c.CourseDirectory.course_id = "smileys"',
        "",
    ])
    lab = _start(Lab("teacher", home, course.root, config, artifacts / "jupyter-teacher.log"))
    try:
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def page_for(browser):
    """page_for(lab) -> a fresh browser page on that person's JupyterLab; closed after the test."""
    contexts = []

    def open_page(lab: Lab):
        context = browser.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{lab.url}/lab")
        page.locator("#jp-main-dock-panel").wait_for()
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()
