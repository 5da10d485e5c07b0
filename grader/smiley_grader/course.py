"""A whole nbgrader course in a folder: the teacher's side and the students' side,
run with nbgrader's own commands (as subprocesses, like a teacher types them).

    course = Course.create(workdir)                     # `course init`: source/ and nbgrader_config.py
    course.release("layers")                            # generate_assignment + release_assignment
    course.submit("ada", "layers", notebook_path)       # fetch_assignment + submit, as student ada
    course.collect("layers"); course.autograde("layers"); course.feedback("layers")
    course.grades()                                     # {(student, assignment, grade_id): Grade}

Every student gets their own HOME and working folder; the exchange is a folder in
`workdir`, so nothing outside it is touched.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from smiley_grader.course_init import init_course
from smiley_grader.isolation import nbgrader_command, tools_path

COURSE_ID = "smileys"
# English and Dutch (smiley_checks/notebook_template.py): the same tasks, the same grade_ids.
ASSIGNMENTS = ("layers", "break_the_model", "lagen", "breek_het_model")




@dataclass(frozen=True)
class Grade:
    score: float
    max_score: float
    needs_manual_grade: bool
    auto_score: float | None


@dataclass
class Run:
    args: list[str]
    returncode: int
    output: str
    seconds: float


class Course:
    def __init__(self, workdir: Path, log=None):
        self.workdir = Path(workdir)
        self.root = self.workdir / "course"
        self.exchange = self.workdir / "exchange"
        self.homes = self.workdir / "homes"
        self.log = log or (lambda text: None)
        self.runs: list[Run] = []

    @classmethod
    def create(cls, workdir: Path, assignments=ASSIGNMENTS, log=None, settings: str = "") -> "Course":
        """A new course folder made the way a teacher makes one (`smiley-checks course init`);
        `settings`: lines the teacher adds to its nbgrader_config.py."""
        course = cls(workdir, log)
        init_course(course.root, assignments)
        if settings:
            with (course.root / "nbgrader_config.py").open("a") as config:
                config.write(settings)
        course.exchange.mkdir(parents=True, exist_ok=True)
        return course

    # --- running nbgrader ---

    def home(self, who: str) -> Path:
        path = self.homes / who
        path.mkdir(parents=True, exist_ok=True)
        return path

    def nbgrader(self, *args: str, who: str = "teacher", cwd: Path | None = None, check: bool = True,
                 timeout: float | None = None) -> Run:
        env = dict(os.environ, HOME=str(self.home(who)), PATH=tools_path())
        env.pop("JUPYTER_CONFIG_DIR", None)
        command = [*nbgrader_command(), *args, f"--Exchange.root={self.exchange}"]
        if who != "teacher":
            command.append(f"--Exchange.cache={self.home(who) / '.nbgrader-cache'}")
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd or self.root, env=env, capture_output=True, text=True, timeout=timeout)
        run = Run(command, done.returncode, done.stdout + done.stderr, time.perf_counter() - started)
        self.runs.append(run)
        self.log(f"nbgrader {' '.join(args)}  ({who}, {run.seconds:.0f} s, exit {run.returncode})")
        if check and done.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n{run.output[-4000:]}")
        return run

    # --- the teacher ---

    def import_students(self, students) -> None:
        path = self.root / "students.csv"
        with path.open("w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["id", "first_name", "last_name", "email"])
            for student in students:
                writer.writerow([student, student.capitalize(), "Student", f"{student}@school.example"])
        self.nbgrader("db", "student", "import", str(path))

    def generate(self, assignment: str) -> Path:
        self.nbgrader("generate_assignment", assignment, "--force")
        return self.root / "release" / assignment

    def release(self, assignment: str) -> None:
        self.generate(assignment)
        self.nbgrader("release_assignment", assignment, "--course", COURSE_ID, "--force")

    def collect(self, assignment: str) -> None:
        self.nbgrader("collect", assignment, "--course", COURSE_ID)

    def autograde(self, assignment: str, *options: str) -> Run:
        # Exit code 1 means some submission could not be graded; the log says which.
        return self.nbgrader("autograde", assignment, "--force", *options, check=False)

    def feedback(self, assignment: str) -> Path:
        self.nbgrader("generate_feedback", assignment, "--force")
        return self.root / "feedback"

    def export(self) -> Path:
        path = self.root / "grades.csv"
        self.nbgrader("export", "--to", str(path))
        return path

    def grades(self) -> dict[tuple[str, str, str], Grade]:
        from nbgrader.api import Gradebook

        result = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
            for assignment in gradebook.assignments:
                for submission in assignment.submissions:
                    for notebook in submission.notebooks:
                        for grade in notebook.grades:
                            result[(submission.student.id, assignment.name, grade.name)] = Grade(
                                float(grade.score), float(grade.max_score), bool(grade.needs_manual_grade),
                                None if grade.auto_score is None else float(grade.auto_score))
        return result

    # --- a student ---

    def submit(self, student: str, assignment: str, notebook: Path) -> None:
        """Fetch the assignment as `student`, put their filled-in notebook in it, submit."""
        folder = self.home(student) / "work"
        folder.mkdir(parents=True, exist_ok=True)
        self.nbgrader("fetch_assignment", assignment, "--course", COURSE_ID, who=student, cwd=folder)
        target = folder / assignment / f"{assignment}.ipynb"
        if not target.exists():
            raise RuntimeError(f"fetch_assignment did not create {target}")
        shutil.copy(notebook, target)
        # nbgrader's submit creates its cache folder with a check-then-create race: two
        # submissions of one student at the same time can crash on it. Make it beforehand.
        (self.home(student) / ".nbgrader-cache" / COURSE_ID).mkdir(parents=True, exist_ok=True)
        self.nbgrader("submit", assignment, "--course", COURSE_ID, f"--student={student}", who=student, cwd=folder)

    def feedback_file(self, student: str, assignment: str) -> Path:
        return self.root / "feedback" / student / assignment / f"{assignment}.html"


def generate_release(destination: Path, assignments=ASSIGNMENTS) -> dict[str, Path]:
    """Run `nbgrader generate_assignment` in a scratch course; copy each release/<assignment> to `destination`."""
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory(prefix="smiley-release-") as scratch:
        course = Course.create(Path(scratch), assignments)
        for assignment in assignments:
            released = course.generate(assignment)
            target = Path(destination) / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(released, target)
            out[assignment] = target
    return out
