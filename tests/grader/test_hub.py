"""smiley_grader.hub: the JupyterHub set-up (the hub itself runs in tests/installed/test_hub_course.py)."""

import json
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from traitlets.config import Config

from smiley_grader import hub
from smiley_grader.hub import HubCourse, choose_environment, configure, make_private, prepare_exchange


def course_in(tmp_path) -> HubCourse:
    return HubCourse(teacher="juf", students=["ada", "ben"], student_env=str(tmp_path / "smileys-student"),
                     teacher_env=str(tmp_path / "smileys"), exchange=str(tmp_path / "exchange"))


def spawner_of(user: str):
    return SimpleNamespace(user=SimpleNamespace(name=user), environment={"LANG": "C.UTF-8"}, cmd=None)


def test_configure_lets_in_the_class_only_and_prepares_exchange_and_environments(tmp_path):
    c = Config()
    course = course_in(tmp_path)
    course.teacher = pwd.getpwuid(os.getuid()).pw_name  # a real account: her environment becomes hers
    configure(c, course)
    assert c.Authenticator.allowed_users == {course.teacher, "ada", "ben"}
    assert c.Spawner.default_url == "/lab"
    mode = (tmp_path / "exchange").stat().st_mode
    assert stat.S_IMODE(mode) == 0o777 | stat.S_ISVTX  # like /tmp: all write, none delete another's files

    for env, teacher in ((tmp_path / "smileys-student", False), (tmp_path / "smileys", True)):
        etc = env / "etc" / "jupyter"
        settings = (etc / "nbgrader_config.py").read_text()
        assert f"c.Exchange.root = {course.exchange!r}" in settings and "'smileys'" in settings
        server = json.loads((etc / "jupyter_server_config.d" / "smiley_hub.json").read_text())
        assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is teacher
        main = json.loads((etc / "jupyter_server_config.json").read_text())
        assert "-l" not in main["ServerApp"]["terminado_settings"]["shell_command"]  # keeps PATH
        lab = json.loads((etc / "labconfig" / "page_config.json").read_text())["disabledExtensions"]
        assert lab["@jupyter/nbgrader:formgrader"] is (not teacher)
        assert "@jupyter/nbgrader:assignment-list" not in lab  # students fetch and submit with it


def test_only_the_teacher_may_enter_her_environment(tmp_path):
    course = course_in(tmp_path)
    course.teacher = pwd.getpwuid(os.getuid()).pw_name
    configure(Config(), course)
    teacher_env, student_env = (tmp_path / "smileys").stat(), (tmp_path / "smileys-student").stat()
    assert stat.S_IMODE(teacher_env.st_mode) == 0o700 and teacher_env.st_uid == os.getuid()
    assert stat.S_IMODE(student_env.st_mode) & 0o005 == 0o005  # the students' stays open to all


def test_a_teacher_without_an_account_is_one_sentence(tmp_path):
    course = course_in(tmp_path)
    course.teacher = "nobody-smiley-teacher"
    with pytest.raises(SystemExit, match="has no account on this server"):  # JupyterHub prints it, no traceback
        configure(Config(), course)


def test_each_person_gets_their_own_environment(tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name  # a real OS user: choose_environment looks up the home
    for teacher, env in ((me, "smileys"), ("juf", "smileys-student")):
        course = course_in(tmp_path)
        course.teacher = teacher
        spawner = spawner_of(me)
        choose_environment(course, spawner)
        assert spawner.cmd == [str(tmp_path / env / "bin" / "jupyterhub-singleuser")]
        assert spawner.environment["PATH"].startswith(str(tmp_path / env / "bin") + ":")
        assert ("SMILEY_CHECKS_STUDENT_PYTHON" in spawner.environment) is (env == "smileys")
        assert spawner.environment["LANG"] == "C.UTF-8"


def test_the_teachers_kernels_use_the_students_python(tmp_path):
    course = course_in(tmp_path)
    course.teacher = pwd.getpwuid(os.getuid()).pw_name
    spawner = spawner_of(course.teacher)
    choose_environment(course, spawner)
    assert spawner.environment["SMILEY_CHECKS_STUDENT_PYTHON"] == str(tmp_path / "smileys-student" / "bin" / "python")


def test_a_home_others_can_read_is_made_private(tmp_path):
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    make_private(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    home.chmod(0o750)
    make_private(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_the_example_configuration_in_the_docs_runs(monkeypatch):
    """docs/hub.md's jupyterhub_config.py, run the way JupyterHub runs it (configure() itself is
    replaced: it would write into /opt)."""
    import re

    from smiley_checks.dataset.layout import REPO_ROOT
    from smiley_grader import hub

    text = (REPO_ROOT / "docs" / "hub.md").read_text()
    example = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    seen = []
    monkeypatch.setattr(hub, "configure", lambda c, course: seen.append(course))
    c = Config()
    exec(compile(example, "jupyterhub_config.py", "exec"), {"get_config": lambda: c})
    [course] = seen
    assert course.teacher == "juf" and "ada" in course.students
    assert course.student_python == "/opt/smileys-student/bin/python"
    assert c.JupyterHub.bind_url.startswith("https://")


# --- the course's folders in the exchange: the teacher's, before any student can make them ---

JUF, BEN = 23458, 23457  # uids with no account here: the system's table is extended for these tests
FAKE_ACCOUNTS = {JUF: "juf", BEN: "ben"}
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="These tests make folders of other users (chown, setuid), which only root may do; CI runs as root.")


@pytest.fixture
def accounts(monkeypatch):
    """juf and ben as accounts, for us and for nbgrader (which looks owners up by uid)."""
    real_uid, real_name = pwd.getpwuid, pwd.getpwnam

    def entry(uid):
        return pwd.struct_passwd((FAKE_ACCOUNTS[uid], "x", uid, uid, "", f"/home/{FAKE_ACCOUNTS[uid]}", "/bin/bash"))

    monkeypatch.setattr(pwd, "getpwuid", lambda uid: entry(uid) if uid in FAKE_ACCOUNTS else real_uid(uid))
    monkeypatch.setattr(pwd, "getpwnam", lambda name: entry({v: k for k, v in FAKE_ACCOUNTS.items()}[name])
                        if name in FAKE_ACCOUNTS.values() else real_name(name))


@pytest.fixture
def open_tmp():
    """A folder other uids may enter (pytest's tmp_path is inside root's own folder)."""
    folder = Path(tempfile.mkdtemp(prefix="smiley-hub-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def as_uid(uid: int, action) -> str:
    """Run `action()` in a child process as `uid`; what it raised ('' when nothing)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        outcome = ""
        try:
            os.setgid(uid)
            os.setuid(uid)
            action()
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            outcome = f"{type(error).__name__}: {error}"
        os.write(write, outcome.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        outcome = pipe.read()
    os.waitpid(pid, 0)
    return outcome


def bens_release(exchange: Path) -> None:
    """What ben types before the teacher's first release: his own notebook as the assignment."""
    folder = exchange / "smileys" / "outbound" / "break_the_model"
    folder.mkdir(parents=True)
    (folder / "break_the_model.ipynb").write_text("ben's notebook: runs as whoever opens it")


def nbgrader_release(exchange: Path, course_root: Path) -> None:
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment

    (course_root / "release" / "break_the_model").mkdir(parents=True)
    (course_root / "release" / "break_the_model" / "break_the_model.ipynb").write_text("the teacher's notebook")
    course = CourseDirectory(root=str(course_root), course_id="smileys", assignment_id="break_the_model")
    ExchangeReleaseAssignment(coursedir=course, root=str(exchange)).start()


def fetched_by_a_classmate(exchange: Path, home: Path) -> str:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment

    home.mkdir()
    course = CourseDirectory(root=str(home), course_id="smileys", assignment_id="break_the_model")
    ExchangeFetchAssignment(coursedir=course, authenticator=Authenticator(), root=str(exchange),
                            assignment_dir=str(home)).start()
    return (home / "break_the_model" / "break_the_model.ipynb").read_text()


@as_root
def test_without_the_course_folders_a_student_takes_the_exchange(open_tmp, accounts):
    """What the hub did before (an open exchange root only): ben makes the course's folders first. The
    teacher's release then fails, and a classmate fetches ben's notebook as the assignment."""
    from nbgrader.exchange import ExchangeError

    exchange = open_tmp / "exchange"
    prepare_exchange(exchange)
    assert as_uid(BEN, lambda: bens_release(exchange)) == ""
    with pytest.raises(ExchangeError, match="You don't own the directory"):
        nbgrader_release(exchange, open_tmp / "course")
    assert fetched_by_a_classmate(exchange, open_tmp / "ada") == "ben's notebook: runs as whoever opens it"


@as_root
def test_the_hub_makes_the_course_folders_the_teachers_with_nbgraders_modes(open_tmp, accounts):
    course = course_in(open_tmp)
    course.teacher = "juf"
    configure(Config(), course)
    top = open_tmp / "exchange" / "smileys"
    expected = {top: 0o755, top / "outbound": 0o755, top / "inbound": 0o3733, top / "feedback": 0o711}
    for folder, mode in expected.items():
        info = os.lstat(folder)
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (JUF, mode), folder
    assert "PermissionError" in as_uid(BEN, lambda: bens_release(open_tmp / "exchange"))
    assert not (top / "outbound" / "break_the_model").exists()

    def hand_in():  # what ben may still do: hand in, and not list what others handed in
        (top / "inbound" / "ben+break_the_model+2026-12-02 10:00:00.000000 UTC+x").mkdir()
        os.listdir(top / "inbound")

    assert as_uid(BEN, hand_in) == f"PermissionError: [Errno 13] Permission denied: '{top / 'inbound'}'"
    assert (top / "inbound" / "ben+break_the_model+2026-12-02 10:00:00.000000 UTC+x").is_dir()
    configure(Config(), course)  # the next start leaves them as they are
    assert os.lstat(top / "inbound").st_uid == JUF


@as_root
@pytest.mark.parametrize("made", ["folder", "inbound", "link"])
def test_course_folders_a_student_made_first_stop_the_hub_with_one_sentence(open_tmp, accounts, made):
    exchange = open_tmp / "exchange"
    prepare_exchange(exchange)

    def ben_first():
        if made == "link":
            (exchange / "smileys").symlink_to(open_tmp)
        else:
            (exchange / "smileys" / ("inbound" if made == "inbound" else "outbound")).mkdir(parents=True)

    assert as_uid(BEN, ben_first) == ""
    course = course_in(open_tmp)
    course.teacher = "juf"
    with pytest.raises(SystemExit) as stopped:
        configure(Config(), course)
    message = str(stopped.value)
    assert message.startswith("The hub did not start: ") and "belongs to ben, not to the teacher juf" in message
    assert "\n" not in message and message.endswith("and start the hub again.")  # one sentence


@as_root
def test_course_folders_root_made_are_handed_to_the_teacher(open_tmp, accounts):
    """An administrator may have made them by hand (as root): nothing a student made, so they stay."""
    (open_tmp / "exchange" / "smileys" / "inbound").mkdir(parents=True)
    course = course_in(open_tmp)
    course.teacher = "juf"
    configure(Config(), course)
    assert os.lstat(open_tmp / "exchange" / "smileys" / "inbound").st_uid == JUF


def test_hub_module_names_nbgraders_modes():
    """nbgrader 0.9.6's own modes (release_assignment.py, release_feedback.py), plus the sticky inbound."""
    assert hub.COURSE_FOLDERS == {"": 0o755, "outbound": 0o755, "inbound": 0o2733 | stat.S_ISVTX, "feedback": 0o711}


def test_the_training_gateway_runs_as_its_own_account_and_every_kernel_gets_its_address(tmp_path):
    from smiley_grader.gateway.hub_service import HubGateway

    me = pwd.getpwuid(os.getuid())
    c, course = Config(), course_in(tmp_path)
    course.teacher = me.pw_name
    course.gateway = HubGateway(account=me.pw_name, env=str(tmp_path / "smileys-gateway"), port=8700)
    (tmp_path / "smileys-gateway").mkdir()
    configure(c, course)
    [service] = c.JupyterHub.services
    assert service["user"] == me.pw_name and service["url"] == "http://127.0.0.1:8700"
    assert service["command"][:4] == [str(tmp_path / "smileys-gateway" / "bin" / "smiley-checks"), "gateway", "--port", "8700"]
    assert stat.S_IMODE((tmp_path / "smileys-gateway").stat().st_mode) == 0o700  # it holds the grader
    spawner = spawner_of(me.pw_name)
    choose_environment(course, spawner)
    assert spawner.environment["SMILEY_TRAINING_GATEWAY"] == "http://127.0.0.1:8700/services/smiley-gateway/"
    course.gateway.hub_base_url = "/jupyter/"
    assert course.gateway.address() == "http://127.0.0.1:8700/jupyter/services/smiley-gateway/"


def test_without_a_gateway_no_kernel_is_told_of_one(tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name
    c, course = Config(), course_in(tmp_path)
    course.teacher = me
    configure(c, course)
    assert not c.JupyterHub.get("services")
    spawner = spawner_of(me)
    choose_environment(course, spawner)
    assert "SMILEY_TRAINING_GATEWAY" not in spawner.environment


def test_a_gateway_account_that_is_missing_is_one_sentence(tmp_path):
    from smiley_grader.gateway.hub_service import HubGateway

    course = course_in(tmp_path)
    course.teacher = pwd.getpwuid(os.getuid()).pw_name
    course.gateway = HubGateway(account="nobody-smiley-gateway", env=str(tmp_path / "g"))
    with pytest.raises(SystemExit, match="account nobody-smiley-gateway is missing"):
        configure(Config(), course)
