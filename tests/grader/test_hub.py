"""smiley_grader.hub: the JupyterHub set-up (the hub itself runs in tests/installed/test_hub_course.py)."""

import json
import os
import pwd
import stat
from types import SimpleNamespace

from traitlets.config import Config

from smiley_grader.hub import HubCourse, choose_environment, configure, make_private


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
    import pytest

    from smiley_checks.errors import SmileyChecksError

    course = course_in(tmp_path)
    course.teacher = "nobody-smiley-teacher"
    with pytest.raises(SmileyChecksError, match="has no account on this server"):
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
