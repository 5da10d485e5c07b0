"""The smiley course on a real JupyterHub, walked in a browser the way its people walk it.

One machine, nbgrader's "one class, one grader" set-up (smiley_grader.hub): the hub (as root, with
configurable-http-proxy from npm) starts every person's server as that person's own OS user; the
students' servers run the installed students' environment, the teacher's the teacher's; one shared
exchange.

    juf   in a terminal: smiley-checks course init ~/smileys --formgrader
    ben   before the first release, tries to make the course's exchange folders his own: cannot
    juf   formgrader: generate and release break_the_model
    ada   logs in, fetches it, gets the original's verdict from the training gateway (a hub service
          under an account of its own), runs task 1's check ("Not yet"), fixes it ("Correct"), submits
    ben   logs in: sees the assignment, not ada's work (not her server, not her files);
          hands in under her name from a terminal: not collected
          puts links in the inbound, under her name (to the blank notebook) and under his own (to
          the teacher's source/): not collected
    juf   collects, autogrades ada, generates and releases her feedback
    ada   fetches her feedback and reads it
    juf   her server restarted where bwrap cannot start: the formgrader's autograde refuses, grades nobody

Screenshots of every step: tests/artifacts/hub/NN-*.png, with the hub's log.

This machine's Python lives in root's home, which other users may not enter; a school installs it
where everybody may run it. So the hub runs in a mount namespace of its own in which that folder is
a fresh tmpfs holding only the Python (nothing changes outside the namespace).
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from smiley_checks.dataset.layout import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "tests" / "browser"))
from local_servers import VIEWPORT, LocalServer, free_port  # noqa: E402
from lab_steps import (assignment_list, close_modal, comment_out_batchnorm, expect, fetch, open_fetched,  # noqa: E402
                       open_from_nbgrader_menu, positions, run_cell, shot, submit, terminal, wait_for_modal)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEACHER, STUDENT, OTHER = "juf", "ada", "ben"
GATEWAY = "smileysgw"  # the training gateway's own account (a hub service)
PASSWORD = "smileys-klas-3b"  # the test's one shared password; a school uses its own accounts
MARK = "smiley_checks hub test"  # the OS users' comment: only users with it are ever removed
ASSIGNMENT = "break_the_model"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "hub"
PROXY = REPO_ROOT / "hub" / "node_modules" / "configurable-http-proxy" / "bin" / "configurable-http-proxy"


# --- OS users ---

def remove_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", name], capture_output=True)


def add_users(names, homes: Path) -> None:
    homes.mkdir(parents=True, exist_ok=True)
    homes.chmod(0o755)
    for name in names:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            entry = None
        if entry and entry.pw_gecos != MARK:
            pytest.fail(f"This machine already has an OS user {name!r} that is not the hub test's; "
                        "the test will not touch it.", pytrace=False)
        if entry:
            remove_user(name)  # left by a run that was killed
        subprocess.run(["useradd", "--create-home", "--home-dir", str(homes / name), "--comment", MARK,
                        "--shell", "/bin/bash", "--user-group", name], check=True, capture_output=True)


# --- the hub ---

def closed_folder(path: Path):
    """(the first folder on the way to `path` that others may not enter, its child on that way) or None."""
    parts = Path(path).resolve().parts
    for depth in range(1, len(parts)):
        folder = Path(*parts[:depth])
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder, Path(*parts[:depth + 1])
    return None


def in_own_namespace(command: list[str], keep: Path) -> list[str]:
    """`command` where this Python can be run by everybody (see the module's docstring)."""
    closed = closed_folder(Path(sys.base_prefix))
    if closed is None:
        return command
    folder, child = closed
    keep.mkdir(parents=True, exist_ok=True)
    script = (f"set -e; mount --bind {child} {keep}; mount -t tmpfs -o mode=0755 tmpfs {folder}; "
              f"mkdir -p {child}; mount --move {keep} {child}; exec \"$@\"")
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *command]


class Hub(LocalServer):
    """JupyterHub as root, in its own mount namespace, with the course's config (write_config)."""

    def __init__(self, installed, top: Path):
        self.installed, self.top = installed, top
        self.folder, self.homes, self.exchange = top / "hub", top / "home", top / "exchange"
        self.no_sandbox, self.broken_bwrap = self.folder / "no-sandbox", self.folder / "broken" / "bwrap"
        for folder in (self.folder, self.homes, self.exchange):  # a fresh start, also where installs are kept
            shutil.rmtree(folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.url = f"http://127.0.0.1:{free_port()}"
        command = [str(installed.teacher_env / "bin" / "jupyterhub"), "-f", str(self.write_config())]
        super().__init__("jupyterhub", in_own_namespace(command, self.folder / "keep"), f"{self.url}/hub/api",
                         ARTIFACTS / "jupyterhub.log", self.folder, installed.shell(self.folder, installed.teacher_env))

    def home(self, user: str) -> Path:
        return self.homes / user

    def write_config(self) -> Path:
        proxy = self.folder / "proxy"  # a copy: the checkout may be where the hub's users cannot enter
        shutil.copytree(PROXY.parents[2], proxy / "node_modules", symlinks=True, dirs_exist_ok=True)
        config = self.folder / "jupyterhub_config.py"
        config.write_text("\n".join([
            "from smiley_grader.hub import HubCourse, configure",
            "from smiley_grader.gateway.hub_service import HubGateway",
            "c = get_config()  # noqa: F821",
            f"configure(c, HubCourse(teacher={TEACHER!r}, students=[{STUDENT!r}, {OTHER!r}],",
            f"                       student_env={str(self.installed.student_env)!r},",
            f"                       teacher_env={str(self.installed.teacher_env)!r},",
            f"                       exchange={str(self.exchange)!r},",
            f"                       gateway=HubGateway(account={GATEWAY!r}, env={str(self.installed.gateway_env)!r},",
            f"                                          port={free_port()}, workers=1)))",
            "# The test's own: one shared password, ports on localhost, files in this folder.",
            "c.JupyterHub.authenticator_class = 'shared-password'",
            f"c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}",
            f"c.JupyterHub.bind_url = {self.url + '/'!r}",
            f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{free_port()}'",
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'",
            f"c.ConfigurableHTTPProxy.command = ['node', {str(proxy / 'node_modules' / PROXY.relative_to(PROXY.parents[2]))!r}]",
            f"c.ConfigurableHTTPProxy.pid_file = {str(self.folder / 'proxy.pid')!r}",
            f"c.JupyterHub.db_url = 'sqlite:///{self.folder / 'jupyterhub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(self.folder / 'cookie_secret')!r}",
            "c.Spawner.start_timeout = 300",
            "c.Spawner.http_timeout = 300",
            "# While the file no-sandbox exists, the teacher's next server finds a bwrap that cannot start, as",
            "# on Ubuntu 24.04 where AppArmor keeps user namespaces from it (test_..._refuses_without_a_sandbox).",
            "from pathlib import Path",
            "_choose = c.Spawner.pre_spawn_hook",
            "def _pre_spawn(spawner):",
            "    _choose(spawner)",
            f"    if spawner.user.name == {TEACHER!r} and Path({str(self.no_sandbox)!r}).exists():",
            f"        spawner.environment['PATH'] = {str(self.broken_bwrap.parent)!r} + ':' + spawner.environment['PATH']",
            "c.Spawner.pre_spawn_hook = _pre_spawn",
            "",
        ]))
        self.broken_bwrap.parent.mkdir(mode=0o755)
        self.broken_bwrap.write_text('#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n')
        self.broken_bwrap.chmod(0o755)
        return config

    def run_as(self, user: str, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """A command as `user`, where the hub's servers run (its mount namespace), with a clean shell."""
        env = self.installed.teacher_env if user == TEACHER else self.installed.student_env
        shell = ["env", "-i", *(f"{k}={v}" for k, v in self.installed.shell(self.home(user), env, USER=user).items())]
        done = subprocess.run(["nsenter", f"--target={self.process.pid}", "--mount", "--", "runuser", "-u", user,
                               "--", *shell, *command], capture_output=True, text=True, timeout=300)
        if check:
            assert done.returncode == 0, f"{' '.join(command)} as {user}: {done.stdout}{done.stderr}"
        return done

    def stop(self) -> None:
        if self.process is not None:
            self.stop_group(grace=20)  # the hub stops the people's servers itself on SIGTERM
            self.close()


@pytest.fixture(scope="module")
def artifacts():
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def hub(installed, artifacts):
    if os.geteuid() != 0:
        pytest.skip("The hub test starts servers as other OS users, which needs root (CI runs as root).")
    if not PROXY.exists():
        pytest.fail("JupyterHub's proxy is missing: run `make proxy` (npm ci in hub/; `make test` does it).",
                    pytrace=False)
    hub = Hub(installed, installed.top)
    users = (TEACHER, STUDENT, OTHER, GATEWAY)
    add_users(users, hub.homes)
    try:
        hub.start(timeout=120)
        yield hub
    finally:
        hub.stop()
        for user in users:
            remove_user(user)


@pytest.fixture(scope="module")
def people(browser):
    """people(user) -> a page of its own (own cookies) logged in to the hub, in JupyterLab."""
    contexts = {}

    def log_in(hub: Hub, user: str):
        if user not in contexts:
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{hub.url}/hub/login")
            page.locator("input#username_input").fill(user)
            page.locator("input#password_input").fill(PASSWORD)
            page.locator("#login_submit").click()
            page.locator("#jp-main-dock-panel").wait_for(timeout=300_000)  # the hub starts the server first
            contexts[user] = page
        return contexts[user]

    try:
        yield log_in
    finally:
        for page in contexts.values():
            page.context.close()


def formgrader(hub, page):
    """The formgrader in a browser tab of its own: JupyterHub (4.1 and later) forbids showing a server's
    pages inside another page, so nbgrader's Formgrader tab inside JupyterLab stays blank (docs/hub.md)."""
    page.goto(f"{hub.url}/user/{TEACHER}/formgrader")
    row = page.locator("tr", has=page.locator(f'td a:text-is("{ASSIGNMENT}")')).first
    expect(row).to_be_visible()
    return page, row


def max_points(assignment: str) -> float:
    notebook = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return sum(cell.metadata.get("nbgrader", {}).get("points", 0) for cell in notebook.cells)


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {condition}"
        time.sleep(0.5)


def formgrader_assignments(hub, page) -> list[str]:
    response = page.request.get(f"{hub.url}/user/{TEACHER}/formgrader/api/assignments")
    assert response.status == 200, response.status
    return [assignment["name"] for assignment in response.json()]


def test_teacher_makes_her_course_in_a_terminal(hub, people, artifacts):
    page = people(hub, TEACHER)
    home = hub.home(TEACHER)
    assert home.stat().st_uid == pwd.getpwnam(TEACHER).pw_uid
    assert not home.stat().st_mode & 0o077  # the hub made it private before her server started

    terminal(page, "smiley-checks course init ~/smileys --formgrader")
    settings = home / ".jupyter" / "nbgrader_config.py"
    try:
        wait_for(settings.exists)
    finally:
        page.wait_for_timeout(1000)  # the terminal prints what was made (or why not)
        shot(page, artifacts, "01-teacher-course-init")
    course = home / "smileys"
    assert (course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    assert settings.read_text().count(str(course)) == 1
    assert course.stat().st_uid == pwd.getpwnam(TEACHER).pw_uid

    # The formgrader knows the course at once, no restart (its grading settings are used: see the
    # collect's refusal and the feedback's model answers below).
    assert ASSIGNMENT in formgrader_assignments(hub, page)


def test_a_student_cannot_take_the_exchange_before_the_first_release(hub):
    """Before the teacher's first release, ben makes the course's folders in the open exchange, with his
    own notebook as the assignment: nbgrader's release would then fail ("You don't own the
    directory") and classmates would fetch his notebook (tests/grader/test_hub.py shows both). The hub
    made them the teacher's when it started, so he cannot."""
    course = hub.exchange / "smileys"
    for folder, mode in ((course, 0o755), (course / "outbound", 0o755), (course / "inbound", 0o3733),
                         (course / "feedback", 0o711)):
        info = os.lstat(folder)
        assert (pwd.getpwuid(info.st_uid).pw_name, stat.S_IMODE(info.st_mode)) == (TEACHER, mode), folder
    released = course / "outbound" / ASSIGNMENT
    taken = hub.run_as(OTHER, "sh", "-c", f"mkdir -p '{released}' && echo ben > '{released}/{ASSIGNMENT}.ipynb'",
                       check=False)
    assert taken.returncode != 0 and "Permission denied" in taken.stderr, taken
    assert not released.exists()


def test_teacher_releases_break_the_model_from_the_formgrader(hub, people, artifacts):
    page = people(hub, TEACHER)
    frame, row = formgrader(hub, page)
    shot(page, artifacts, "02-teacher-formgrader")
    row.locator("td.assign a").click()  # generate the student version
    close_modal(frame, wait_for_modal(page, frame, "Success"))
    row.locator("td.release a").click()
    ok = wait_for_modal(page, frame, "Success")
    close_modal(frame, ok)
    expect(row.locator("td.status")).to_have_text("released")
    shot(page, artifacts, "03-teacher-released")
    released = hub.exchange / "smileys" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.exists() and "BEGIN SOLUTION" not in released.read_text()
    assert pwd.getpwuid(released.stat().st_uid).pw_name == TEACHER  # hers: what classmates fetch


def test_student_fetches_checks_and_submits(hub, people, artifacts):
    page = people(hub, STUDENT)
    # A student's server has no formgrader (the teacher's has: the check can fail).
    assert page.request.get(f"{hub.url}/user/{STUDENT}/formgrader/api/assignments").status == 404
    expect(page.locator('.jp-SideBar [title="Create Assignment"]')).to_have_count(0)
    shot(page, artifacts, "04-student-logged-in")
    assignment_list(page)
    fetch(page, ASSIGNMENT)
    shot(page, artifacts, "05-student-fetched")
    open_fetched(page, ASSIGNMENT)

    at = positions(ASSIGNMENT)
    run_cell(page, at["setup"])
    run_cell(page, at["original"])
    # Her verdict is trained by the class's gateway (a hub service, as its own account), not in her kernel.
    verdict = run_cell(page, at["verdict_original"]).locator(".jp-OutputArea")
    expect(verdict).to_contain_text("waits on the class's training server")
    expect(verdict).to_contain_text("Verdict: reliable")
    expect(verdict).not_to_contain_text("Traceback")
    verdict.scroll_into_view_if_needed()
    shot(page, artifacts, "05b-student-verdict-from-the-gateway")
    run_cell(page, at["answer_no_batchnorm"])
    check = run_cell(page, at["no_batchnorm"])
    expect(check.locator(".jp-OutputArea")).to_contain_text("Not yet")
    expect(check.locator(".jp-OutputArea")).not_to_contain_text("Traceback")
    check.scroll_into_view_if_needed()
    shot(page, artifacts, "06-student-check-not-yet")

    comment_out_batchnorm(page, hub.home(STUDENT), ASSIGNMENT, ["def build_no_batchnorm"], "Correct")
    shot(page, artifacts, "07-student-check-correct")
    fetched = hub.home(STUDENT) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fetched.stat().st_uid == pwd.getpwnam(STUDENT).pw_uid  # her server runs as her

    submit(page, ASSIGNMENT)
    shot(page, artifacts, "08-student-submitted")
    assert [p.name.split("+")[:2] for p in (hub.exchange / "smileys" / "inbound").iterdir()] == [[STUDENT, ASSIGNMENT]]


def test_another_student_cannot_see_her_work(hub, people, artifacts):
    page = people(hub, OTHER)
    open_from_nbgrader_menu(page, "nbgrader:open-assignment-list")
    page.locator("#refresh_assignments_list").click()
    expect(page.locator("#released_assignments_list > .list_item", has_text=ASSIGNMENT)).to_be_visible()
    expect(page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT)).to_have_count(0)
    shot(page, artifacts, "09-other-student-assignment-list")

    # Not through the hub: ada's server is hers alone.
    response = page.goto(f"{hub.url}/user/{STUDENT}/lab")
    assert response.status == 403, (response.status, page.content()[:500])
    shot(page, artifacts, "10-other-student-not-her-server")
    # Not on the disk: her home, her submission, the teacher's course (solutions) and the grader in
    # the teacher's environment (hidden inputs, reference answers) are closed to him.
    grader = hub.installed.teacher_env / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    for path in (hub.home(STUDENT) / ASSIGNMENT, hub.exchange / "smileys" / "inbound",
                 hub.home(TEACHER) / "smileys" / "source" / ASSIGNMENT, grader / "smiley_grader"):
        denied = hub.run_as(OTHER, "ls", str(path), check=False)
        assert denied.returncode != 0 and "Permission denied" in denied.stderr, (path, denied.stdout)
    # ... while she herself can list her work and the teacher the grader (the check can fail).
    assert f"{ASSIGNMENT}.ipynb" in hub.run_as(STUDENT, "ls", str(hub.home(STUDENT) / ASSIGNMENT)).stdout
    assert "layers_key.py" in hub.run_as(TEACHER, "ls", str(grader / "smiley_grader")).stdout


def test_another_student_cannot_hand_in_under_her_name(hub, people, artifacts):
    """ben, in a terminal, hands in the untouched notebook as ada, after her: the newest file counts,
    so nbgrader's own collect would grade her on his (0 points). The course's collect refuses it."""
    page = people(hub, OTHER)
    page.goto(f"{hub.url}/user/{OTHER}/lab")  # back from ada's server's 403
    page.locator("#jp-main-dock-panel").wait_for()
    terminal(page, f"nbgrader fetch_assignment {ASSIGNMENT} --course=smileys && "
                   f"nbgrader submit {ASSIGNMENT} --course=smileys --student={STUDENT}")
    inbound = hub.exchange / "smileys" / "inbound"
    wait_for(lambda: len(list(inbound.iterdir())) == 2)
    page.wait_for_timeout(1000)
    shot(page, artifacts, "11-other-student-hands-in-as-her")
    files = sorted(inbound.iterdir())
    assert [p.name.split("+")[0] for p in files] == [STUDENT, STUDENT]
    assert sorted(pwd.getpwuid(p.stat().st_uid).pw_name for p in files) == [STUDENT, OTHER]


def test_another_student_puts_links_in_the_inbound(hub):
    """ben, in his shell, puts two links in the inbound, newer than ada's submission: one named as
    hers, to the blank released notebook (she would be graded on it), one named as his own, to the
    teacher's source/ (he would be graded on, and fed back, the solutions). He cannot read source/
    himself; nbgrader's own collect follows the links as the teacher, who can
    (tests/grader/test_owner_checked_collect.py shows it)."""
    inbound = hub.exchange / "smileys" / "inbound"
    links = {STUDENT: hub.exchange / "smileys" / "outbound" / ASSIGNMENT,
             OTHER: hub.home(TEACHER) / "smileys" / "source" / ASSIGNMENT}
    for name, target in links.items():
        hub.run_as(OTHER, "sh", "-c", f"ln -s '{target}' \"{inbound}/{name}+{ASSIGNMENT}+"
                                      f"$(date -u '+%Y-%m-%d %H:%M:%S.%6N UTC')+link\"")
    made = [p for p in inbound.iterdir() if p.is_symlink()]
    assert sorted(p.name.split("+")[0] for p in made) == [STUDENT, OTHER]
    assert {pwd.getpwuid(os.lstat(p).st_uid).pw_name for p in made} == {OTHER}


def test_teacher_collects_autogrades_and_releases_feedback(hub, people, artifacts):
    page = people(hub, TEACHER)
    frame, row = formgrader(hub, page)
    row.locator("td.collect a").click()
    ok = wait_for_modal(page, frame, "Success")
    close_modal(frame, ok)
    expect(row.locator("td.num-submissions")).to_have_text("1")
    shot(page, artifacts, "12-teacher-collected")
    log = hub.log(tail=10**8)
    assert f"under the name {STUDENT} by the account {OTHER}" in log
    for name in (STUDENT, OTHER):  # both of ben's links, refused (one line each)
        assert f"is a link to other files, not a submission {name} handed in" in log, name
    assert not (hub.home(TEACHER) / "smileys" / "submitted" / OTHER).exists()

    row.locator("td.num-submissions a").click()
    student = frame.locator("tr", has=frame.locator(f'td:text-is("{STUDENT}")')).first
    student.locator("td.autograde a").click()
    ok = wait_for_modal(page, frame, "Success")  # the sandboxed kernel and the judge: a minute or two
    shot(page, artifacts, "13-teacher-autograde-log")
    close_modal(frame, ok)
    # Task 1 right (2 points), the other tasks as handed out, the written answers empty: her own
    # notebook, not the one ben handed in under her name.
    expect(student.locator("td.score")).to_have_text(f"2 / {max_points(ASSIGNMENT):g}")
    shot(page, artifacts, "14-teacher-autograded")
    assert "Grading without a sandbox" not in hub.log(tail=10**8)  # her kernel ran in bubblewrap, as the teacher's user

    student.locator("td.generate-feedback a").click()
    close_modal(frame, wait_for_modal(page, frame, "Success"))
    student.locator("td.release-feedback a").click()
    close_modal(frame, wait_for_modal(page, frame, "Success"))
    shot(page, artifacts, "15-teacher-feedback-released")
    feedback = list((hub.exchange / "smileys" / "feedback").iterdir())
    assert len(feedback) == 1 and "BEGIN HIDDEN TESTS" not in feedback[0].read_text()


def test_student_reads_her_feedback(hub, people, artifacts):
    page = people(hub, STUDENT)
    page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
    page.locator("#refresh_assignments_list").click()
    row = page.locator("#submitted_assignments_list > .list_item", has_text=ASSIGNMENT).first
    row.locator('.item_status button:text-is("Fetch Feedback")').click()
    view = page.locator("#submitted_assignments_list a", has_text="view feedback").first
    expect(view).to_be_visible(timeout=60_000)
    shot(page, artifacts, "16-student-feedback-fetched")
    view.click()
    page.locator(".jp-DirListing-item", has_text=f"{ASSIGNMENT}.html").dblclick()
    viewer = page.frame_locator("#jp-main-dock-panel .jp-HTMLViewer iframe")
    expect(viewer.locator("body")).to_contain_text("no_batchnorm", timeout=60_000)
    expect(viewer.locator("body")).not_to_contain_text("BEGIN HIDDEN TESTS")
    expect(viewer.locator("body")).to_contain_text("Model answer")  # the course's grading config was used
    shot(page, artifacts, "17-student-feedback")
    # Under the verdict of her network without BatchNormalization: the doctor's word and its seed strip.
    doctor = viewer.locator("text=Why? The network's doctor says:").first
    doctor.scroll_into_view_if_needed()
    expect(doctor).to_be_visible()
    expect(viewer.locator("img[src^='data:image/png']").first).to_be_visible()
    shot(page, artifacts, "18-student-feedback-doctor")


def test_the_formgraders_autograde_refuses_without_a_sandbox(hub, people, artifacts):
    """Fail closed: where bwrap cannot start (a stub first on her PATH, her server started again), the
    formgrader's autograde grades nobody, says why in one sentence, and shows no traceback of ours."""
    page = people(hub, TEACHER)
    hub.no_sandbox.touch()
    try:
        page.goto(f"{hub.url}/hub/home")
        page.locator("#stop").click()
        expect(page.locator("#stop")).to_be_hidden(timeout=120_000)
        page.goto(f"{hub.url}/hub/spawn/{TEACHER}")  # a stopped server is started on request only
        page.locator("#jp-main-dock-panel").wait_for(timeout=300_000)
        frame, row = formgrader(hub, page)
        row.locator("td.num-submissions a").click()
        student = frame.locator("tr", has=frame.locator(f'td:text-is("{STUDENT}")')).first
        expect(student.locator("td.score")).to_have_text(f"2 / {max_points(ASSIGNMENT):g}")
        student.locator("td.autograde a").click()
        ok = wait_for_modal(page, frame, "Error")
        shot(page, artifacts, "18-teacher-autograde-refused")
        said = frame.locator(".modal.in .modal-body").inner_text()
        assert "Not graded: the grading sandbox cannot start on this machine" in said, said
        assert "uid map: Permission denied" in said
        assert "smiley_grader" not in said and "SandboxUnavailable" not in said
        close_modal(frame, ok)
        # No grade from the refused run. nbgrader's own autograde (forced, as the button runs it) removes
        # the earlier autograded copy before any preprocessor runs, so her score waits for the next run;
        # what she handed in stays.
        expect(student.locator("td.score")).to_have_text("")
        assert list((hub.home(TEACHER) / "smileys" / "submitted" / STUDENT / ASSIGNMENT).glob("*.ipynb"))
        assert not list((hub.home(TEACHER) / "smileys" / "autograded" / STUDENT / ASSIGNMENT).glob("*.ipynb"))
    finally:
        hub.no_sandbox.unlink(missing_ok=True)
