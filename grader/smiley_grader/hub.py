"""The smiley course on a JupyterHub on one machine, in nbgrader's "one class, one grader" set-up.

Every person is a hub user and an OS user of their own (JupyterHub's LocalProcessSpawner). The
students' servers run the students' environment (smiley_checks, no grader); the teacher's runs the
teacher's environment (smiley_checks and smiley_grader), grades with the students' Python and has
nbgrader's formgrader. Everybody shares one nbgrader exchange. In a jupyterhub_config.py:

    from smiley_grader.hub import HubCourse, configure
    configure(c, HubCourse(teacher="juf", students=["ada", "ben"],
                           student_env="/opt/smileys-student", teacher_env="/opt/smileys"))

The hub runs as root (it starts each server as its user). docs/hub.md has the whole set-up.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say
from smiley_grader.course import COURSE_ID
from smiley_grader.gateway.hub_service import HubGateway

DEFAULT_EXCHANGE = "/srv/nbgrader/exchange"
# nbgrader's JupyterLab parts a student must not have: the formgrader and the assignment creator.
TEACHER_ONLY_LAB = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                    "@jupyter/nbgrader:course-list")
TEACHER_ONLY_SERVER = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
# The course's folders in the exchange and nbgrader 0.9.6's modes for them (its release_assignment
# and release_feedback): students read the released assignments, hand in without listing what others
# handed in (setgid: submissions get the teacher's group), and fetch feedback only by its secret
# name. The inbound also gets the sticky bit (nbgrader's has none): a student who learns the name of
# a classmate's submission cannot rename or remove it.
COURSE_FOLDERS = {"": 0o755, "outbound": 0o755, "inbound": 0o3733, "feedback": 0o711}
TERMINAL_SHELL = "/bin/bash"


@dataclass
class HubCourse:
    teacher: str
    students: list[str]
    student_env: str
    teacher_env: str
    exchange: str = DEFAULT_EXCHANGE
    course_id: str = COURSE_ID
    gateway: "HubGateway | None" = None  # train show_verdict on the class's cluster (gateway/hub_service.py)

    def env_of(self, user: str) -> Path:
        return Path(self.teacher_env if user == self.teacher else self.student_env)

    @property
    def student_python(self) -> str:
        return str(Path(self.student_env) / "bin" / "python")


def configure(c, course: HubCourse) -> None:
    """Set the hub's spawner and users for `course`; prepare the environments and the exchange.
    A set-up that cannot be made safe stops the hub with one sentence (SystemExit: JupyterHub prints
    it as it is, no traceback)."""
    try:
        set_up(c, course)
    except SmileyChecksError as error:
        raise SystemExit(str(error)) from None


def set_up(c, course: HubCourse) -> None:
    c.Authenticator.allowed_users = {course.teacher, *course.students}
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.pre_spawn_hook = lambda spawner: choose_environment(course, spawner)
    prepare_exchange(Path(course.exchange))
    prepare_course_exchange(Path(course.exchange), course.course_id, teacher_account(course.teacher))
    prepare_environment(Path(course.student_env), course, teacher=False)
    prepare_environment(Path(course.teacher_env), course, teacher=True)
    keep_from_students(Path(course.teacher_env), course.teacher)
    if course.gateway is not None:
        set_up_gateway(c, course.gateway)


def set_up_gateway(c, gateway: HubGateway) -> None:
    from smiley_grader.gateway.hub_service import service

    try:
        account = pwd.getpwnam(gateway.account)
    except KeyError:
        raise SmileyChecksError(say("hub.no_gateway_account", account=gateway.account)) from None
    keep_from_students(Path(gateway.env), gateway.account)
    c.JupyterHub.services = [*c.JupyterHub.get("services", []), service(gateway, account.pw_dir)]


def keep_from_students(env: Path, teacher: str) -> None:
    """The teacher's environment holds the grader: hidden inputs, reference answers, the answer key.
    A student with a terminal could read them there, so only the teacher (and root, the hub) may
    enter it. Owner, not group: on some systems every account shares one primary group."""
    account = teacher_account(teacher)
    os.chown(env, account.pw_uid, account.pw_gid)
    env.chmod(0o700)


def teacher_account(teacher: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(teacher)
    except KeyError:
        raise SmileyChecksError(say("hub.no_teacher_account", teacher=teacher)) from None


def choose_environment(course: HubCourse, spawner) -> None:
    """Before a server starts: the teacher's environment for the teacher, the students' for the rest,
    and a home nobody else can read (a student's work; the teacher's course, solutions included)."""
    user = spawner.user.name
    make_private(Path(pwd.getpwnam(user).pw_dir))
    env = course.env_of(user)
    spawner.cmd = [str(env / "bin" / "jupyterhub-singleuser")]
    spawner.environment = dict(spawner.environment, PATH=f"{env / 'bin'}:{SYSTEM_PATH}")
    if user == course.teacher:
        # Autograding starts every kernel with the students' Python, which cannot import the grader.
        spawner.environment["SMILEY_CHECKS_STUDENT_PYTHON"] = course.student_python
    if course.gateway is not None:
        spawner.environment["SMILEY_TRAINING_GATEWAY"] = course.gateway.address()


def make_private(home: Path) -> None:
    """Many systems make homes readable by everybody (useradd with umask 022): not for a class."""
    if home.is_dir() and home.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        home.chmod(stat.S_IMODE(home.stat().st_mode) & ~(stat.S_IRWXG | stat.S_IRWXO))


def prepare_exchange(exchange: Path) -> None:
    """nbgrader's exchange: everybody may write, nobody may delete another's files (like /tmp)."""
    exchange.mkdir(parents=True, exist_ok=True)
    exchange.chmod(stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO | stat.S_ISVTX)


def prepare_course_exchange(exchange: Path, course_id: str, teacher: pwd.struct_passwd) -> None:
    """The course's folders in the exchange, the teacher's, with nbgrader 0.9.6's modes, made at hub
    start, before any student can. In the open exchange root a student could otherwise make them
    first (`mkdir -p <exchange>/smileys/outbound/...`): the teacher's release then fails ("You don't
    own the directory"), or classmates fetch the student's notebook as the assignment. A folder that
    is already there must be the teacher's (or root's: it is handed to her); anything else stops the
    hub: what is in it may be a student's forged release, and only a person can tell what to keep."""
    for name, mode in COURSE_FOLDERS.items():
        folder = exchange / course_id / name if name else exchange / course_id
        try:
            info = os.lstat(folder)
        except FileNotFoundError:
            folder.mkdir(mode=0o700)  # root's until it is the teacher's, below: no student can enter it
            info = os.lstat(folder)
        if not (stat.S_ISDIR(info.st_mode) and info.st_uid in (0, teacher.pw_uid)):  # lstat: a link is no folder
            raise SmileyChecksError(say("hub.exchange_taken", path=folder, owner=account_name(info.st_uid),
                                        teacher=teacher.pw_name))
        os.chown(folder, teacher.pw_uid, teacher.pw_gid, follow_symlinks=False)
        os.chmod(folder, mode)


def account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def nbgrader_settings(course: HubCourse) -> str:
    return "\n".join([
        "# Written by smiley_grader.hub.configure (the hub's jupyterhub_config.py): the course's shared exchange.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course.course_id!r}",
        f"c.Exchange.root = {course.exchange!r}",
        "",
    ])


def update_json(path: Path, edit) -> None:
    """Let `edit` change the settings in `path` (what pip's packages put there stays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    edit(settings)
    path.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    os.chmod(path.parent, 0o755)


def prepare_environment(env: Path, course: HubCourse, teacher: bool) -> None:
    """The environment-wide Jupyter settings (<env>/etc/jupyter): the exchange for nbgrader and,
    in the students' environment, nbgrader's teacher parts switched off."""
    etc = env / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    os.chmod(etc, 0o755)
    (etc / "nbgrader_config.py").write_text(nbgrader_settings(course), encoding="utf-8")
    update_json(etc / "jupyter_server_config.d" / "smiley_hub.json", lambda settings: settings.update(
        ServerApp={"jpserver_extensions": {name: teacher for name in TEACHER_ONLY_SERVER}}))
    # A terminal on a hub is a login shell, and /etc/profile resets PATH: `smiley-checks` and
    # `nbgrader` would be "command not found". An interactive shell keeps the server's PATH.
    # (In the main config file: jupyter_server_config.d/ is read for extensions only.)
    update_json(etc / "jupyter_server_config.json", lambda settings: settings.setdefault("ServerApp", {}).update(
        terminado_settings={"shell_command": [TERMINAL_SHELL, "-i"]}))
    update_json(etc / "labconfig" / "page_config.json", lambda settings: settings.setdefault(
        "disabledExtensions", {}).update({name: not teacher for name in TEACHER_ONLY_LAB}))
    # No news and update pop-ups over the notebooks: they fetch from jupyter.org and distract.
    update_json(env / "share" / "jupyter" / "lab" / "settings" / "overrides.json", lambda settings: settings.update(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}))
