"""`smiley-checks course init FOLDER`: the teacher's own nbgrader course folder, outside any checkout.

The grader package carries the teacher's source notebooks and the course's nbgrader_config.py
(course_template/, package data); this copies them into a folder of the teacher's and makes the
course's own secret (the hidden inputs are drawn from it). Nothing that is already there is
overwritten: a teacher's edited config or notebook, or an existing secret, is never lost.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say
from smiley_grader.course_secret import make_secret

TEMPLATE = Path(__file__).with_name("course_template")
LANGUAGES = {"en": ("layers", "break_the_model"), "nl": ("lagen", "breek_het_model")}
CONFIG = "nbgrader_config.py"


def assignments_for(languages) -> tuple[str, ...]:
    return tuple(name for code in languages for name in LANGUAGES[code])


def template_files(assignments) -> dict[Path, Path]:
    """{file in the template: its place in a course folder}; one sentence when the install lacks one."""
    wanted = {TEMPLATE / CONFIG: Path(CONFIG)}
    for assignment in assignments:
        notebook = Path("source") / assignment / f"{assignment}.ipynb"
        wanted[TEMPLATE / notebook] = notebook
    missing = [str(path) for path in wanted if not path.is_file()]
    if missing:
        raise SmileyChecksError(say("course.broken_install", path=missing[0]))
    return wanted


def init_course(folder: Path, assignments=assignments_for(LANGUAGES)) -> list[Path]:
    """Copy the config and these assignments' source notebooks into `folder`; the paths copied.
    Also makes the course's secret (course_secret.py), unless the folder has one already."""
    folder = Path(folder).expanduser().resolve()
    files = template_files(assignments)
    if folder.exists() and not folder.is_dir():
        raise SmileyChecksError(say("course.not_a_folder", path=folder))
    there = [folder / target for target in files.values() if (folder / target).exists()]
    if there:
        raise SmileyChecksError(say("course.exists", path=there[0]))
    made = []
    for template, target in files.items():
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, folder / target)  # copyfile: the content, never a link into the package
        made.append(folder / target)
    make_secret(folder)
    return made


ROOT_LINE = re.compile(r"^c\.CourseDirectory\.root\s*=\s*(.+)$", re.M)


def point_formgrader_at(folder: Path, jupyter_dir: Path) -> Path:
    """Tell nbgrader's formgrader (the teacher's ~/.jupyter/nbgrader_config.py) where the course is.

    A file that already names another course folder is left alone: one sentence says which line to change."""
    folder = Path(folder).expanduser().resolve()
    config = Path(jupyter_dir) / CONFIG
    line = f"c.CourseDirectory.root = {str(folder)!r}"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    found = ROOT_LINE.search(text)
    if found:
        if found.group(1).strip() in (repr(str(folder)), f'"{folder}"'):
            return config
        raise SmileyChecksError(say("course.formgrader_elsewhere", path=config, line=found.group(0)))
    config.parent.mkdir(parents=True, exist_ok=True)
    lines = [] if not text or text.endswith("\n") else [""]
    if "get_config()" not in text:
        lines.append("c = get_config()  # noqa: F821")
    lines += ["# The smiley course (smiley-checks course init): nbgrader's formgrader grades here.", line]
    with config.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return config
