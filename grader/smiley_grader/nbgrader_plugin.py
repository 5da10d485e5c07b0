"""nbgrader's Execute preprocessor, made safe for grading this lesson.

`GradingExecute` replaces nbgrader's `Execute` in `Autograde.autograde_preprocessors`
(see nbgrader_config.py) and adds four things:

1. memory: the kernel starts with an address-space limit (limits.KERNEL_MEMORY_BYTES),
   so a runaway allocation raises MemoryError instead of hurting the machine;
2. time: an assignment without training (`layers`, `lagen`, a renamed copy of them: limits.kind_of)
   gets a shorter cell timeout than Execute.timeout, which fits a 5-seed verdict;
3. a dying kernel (a crash, or memory the limit could not stop) no longer throws the
   whole submission away: the cell that killed it gets an error, every later test
   cell is marked as not run (0 points), and grading goes on with the next notebook.
   A cell that ignores the interrupt at its timeout is treated the same way: the
   kernel is stopped (nbclient would wait for it and then fail the whole notebook);
4. judging outside the kernel: every hidden test leaves a record of the answer it
   judged; after the kernel has stopped, all records are judged again in a clean
   process (judge.py). Each test cell's outputs are then replaced by the judge's
   outcome (nbgrader scores a cell by its first execute_result or error, so nothing
   the kernel printed may stay): a missing or failing record gives an error (0 points).
   Training verdicts are computed there too, once, and shown in the test cell. Under
   `smiley-checks grade` the judge shares a verdict cache with the other students' judges
   (cache_handover.py).
5. the sandbox: each kernel runs in bubblewrap with limits (sandbox.py, sandbox_kernel.py);
   where it cannot start, autograding refuses (unless the course sets it off on purpose);
6. output: at most a set size of what a kernel prints is kept per cell and notebook (output_budget.py).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from functools import lru_cache

from nbformat.v4 import new_output
from traitlets import Dict, Integer

from nbgrader.preprocessors import Execute
from nbgrader.utils import is_grade, is_solution

from smiley_checks.tasks.hand_in import HIDDEN_INPUTS_ENV
from smiley_grader.isolation import pin_fingerprint
from smiley_grader.output_budget import OutputBudget
from smiley_grader.hidden_checks import hidden_inputs_literal, needs_hidden_inputs
from smiley_grader.student_kernel import StudentKernelManager, kernel_environment
from smiley_grader.limits import KERNEL_MEMORY_BYTES, assignment_cell_timeout, kind_of, limit_memory
from smiley_checks.tasks.records import MIME
from smiley_checks.messages import say


def error_output(message: str, name: str = "AssertionError"):
    return new_output("error", ename=name, evalue=message, traceback=[f"\x1b[0;31m{name}\x1b[0m: {message}"])


def shown_output(text: str):
    from smiley_checks.checks.view import render_html, render_text

    label = say("assign.label.grader")
    return new_output("display_data", data={"text/html": render_html("hint", label, text),
                                            "text/plain": render_text(label, text)})


def use_language_of(assignment: str | None) -> None:
    """Messages added outside the kernel (and by the judge's child process) in the notebook's language."""
    from smiley_checks.messages import set_language
    from smiley_checks.notebook_template import language_of

    lang = language_of(assignment or "")
    set_language(lang)
    os.environ["SMILEY_CHECKS_LANG"] = lang


@lru_cache(maxsize=1)
def handed_cache():
    """The class run's verdict cache, read from its pipe once, before any kernel starts."""
    from smiley_grader.cache_handover import receive

    return receive()


class HideTracebackOf(logging.Filter):
    """Drops the traceback nbgrader logs for an error we have already explained in one sentence."""

    def __init__(self, error_name: str):
        super().__init__()
        self.error_name = error_name

    def filter(self, record) -> bool:
        text = record.getMessage()
        return not (text.startswith("Traceback") and self.error_name in text)


def refuse_without_sandbox(log, why: str) -> None:
    """One sentence for the teacher (nbgrader's log, the formgrader's window) instead of a traceback."""
    log.error(say("grade.no_sandbox_autograde", why=why))
    if not any(isinstance(f, HideTracebackOf) for f in getattr(log, "filters", [])):
        log.addFilter(HideTracebackOf("SandboxUnavailable"))


def is_test_cell(cell) -> bool:
    return cell.cell_type == "code" and is_grade(cell) and not is_solution(cell)


def course_root(preprocessor) -> Path:
    """The course folder nbgrader grades in: its converter's CourseDirectory, else the configured root,
    else the working folder (nbgrader works in the course folder while it converts)."""
    owner = preprocessor
    while owner is not None:
        if getattr(owner, "coursedir", None) is not None:
            return Path(owner.coursedir.root)
        owner = getattr(owner, "parent", None)
    return Path((preprocessor.config.get("CourseDirectory", {}) or {}).get("root") or os.getcwd())


def course_hidden_inputs(nb, preprocessor) -> str | None:
    """The course's hidden inputs (a literal) when this notebook has a task that needs them, else None."""
    grade_ids = [cell.metadata.nbgrader.get("grade_id") for cell in nb.cells if is_test_cell(cell)]
    return hidden_inputs_literal(course_root(preprocessor)) if needs_hidden_inputs(grade_ids) else None


class GradingExecute(OutputBudget, Execute):
    assignment_timeouts = Dict(
        help="Cell timeout (seconds) per assignment, by its name or its kind ('layers', 'break_the_model'); "
             "default: 30 s for the layers kind (limits.assignment_cell_timeout), Execute.timeout for the others.",
    ).tag(config=True)
    kernel_memory = Integer(KERNEL_MEMORY_BYTES, help="Address-space limit of the kernel, in bytes.").tag(config=True)

    def __init__(self, *args, **kwargs):
        # Kernels run with the students' Python: they cannot import the grader (student_kernel.py).
        # (nbgrader's Execute would otherwise default to a plain AsyncKernelManager.)
        kwargs["kernel_manager_class"] = StudentKernelManager
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        assignment = self._choose_limits(resources)
        use_language_of(assignment)
        self._dead = False
        cache = handed_cache()
        pin_fingerprint()  # before the first kernel of this process (the class run pins it earlier)
        from smiley_grader.sandbox_kernel import KernelSandbox, SandboxedKernelManager, SandboxUnavailable

        self._sandbox = KernelSandbox(parent=self)
        self._hidden_inputs = course_hidden_inputs(nb, self)  # drawn from the course's secret
        try:
            sandboxed = self._sandbox.enabled()
        except SandboxUnavailable as why:
            refuse_without_sandbox(self.log, str(why))
            raise
        if sandboxed:
            self.kernel_manager_class = SandboxedKernelManager  # a StudentKernelManager, inside bubblewrap
        self.reset_output_budget()
        nb, resources = super().preprocess(nb, resources, km)
        self._sandbox.report(self.log.warning, ("grade.note.output_cut",) if self.any_output_cut() else (),
                             info=self.log.info)
        # The only judge: nothing in the kernel decides.
        rejudge(nb, log=self.log.warning, cache=cache, inputs=self._hidden_inputs)
        self._add_model_answers(nb, resources)
        return nb, resources

    def _choose_limits(self, resources) -> str | None:
        """The assignment's kind (limits.kind_of) and its cell timeout: the teacher's by name, then by
        kind, then the kind's own (30 s for layers), else Execute.timeout. Returns the assignment's name."""
        assignment = ((resources or {}).get("nbgrader") or {}).get("assignment")
        self._assignment = assignment
        self._kind = kind_of(assignment, task_ids(self._source_path(resources)))
        self._assignment_timeout = (self.assignment_timeouts.get(assignment) or self.assignment_timeouts.get(self._kind)
                                    or assignment_cell_timeout(self._kind))
        return assignment

    def _source_path(self, resources) -> Path:
        """The teacher's source notebook of the notebook being graded."""
        about = (resources or {}).get("nbgrader") or {}
        course = self.config.get("CourseDirectory", {})
        return (Path(course.get("root") or os.getcwd()) / course.get("source_directory", "source")
                / str(about.get("assignment")) / f"{about.get('notebook')}.ipynb")

    def _add_model_answers(self, nb, resources) -> None:
        """The teacher's model answers, for the feedback (never a reason to lose a grade)."""
        from smiley_grader.model_answers import add_model_answers, teacher_cells

        source = self._source_path(resources)
        try:
            add_model_answers(nb, teacher_cells(source))
        except Exception as error:  # the grades stand without them
            self.log.warning("Model answers not added from %s: %s", source, error)

    def _get_timeout(self, cell):
        timeout = getattr(self, "_assignment_timeout", None)
        return timeout if timeout else super()._get_timeout(cell)

    def start_new_kernel(self, **kwargs):
        env = kernel_environment(kwargs.pop("env", None) or os.environ)
        # The layers tasks' hidden inputs: in this kernel's environment only (never in a file, the notebook
        # or a command line: the sandbox hands bwrap its environment, sandbox_kernel.py).
        if getattr(self, "_hidden_inputs", None):
            env[HIDDEN_INPUTS_ENV] = self._hidden_inputs
        else:
            env.pop(HIDDEN_INPUTS_ENV, None)
        memory = self.kernel_memory
        kwargs["env"] = env
        kwargs["preexec_fn"] = lambda: limit_memory(memory)
        self._sandbox.prepare(self.km, self._assignment, self._kind, memory)
        return super().start_new_kernel(**kwargs)

    def preprocess_cell(self, cell, resources, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        if self._dead:
            if cell.cell_type == "code":
                # Its own name: the teacher's note comes from the cell that stopped the kernel.
                cell.outputs = [error_output(say("assign.not_run"), "NotRun")] if is_grade(cell) else []
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead = True
            self.log.error("The kernel died in cell %d; later test cells are marked as not run.", index)
            name, message = self._sandbox.death() or ("KernelDied", say("assign.kernel_died"))
            cell.outputs.append(error_output(message, name))
            return cell, resources
        except CellTimeoutError:
            # After the interrupt nbclient waits a few seconds for the kernel to be idle, then raises:
            # the cell ignores interrupts (or never gave its outputs). The kernel would keep this cell
            # running and every later cell waiting, so it is stopped; the rest counts as not run.
            self._dead = True
            self.log.error("Cell %d did not stop at its timeout; the kernel is stopped.", index)
            self._sandbox.stop_kernel(self.km, "interrupt_ignored")
            name, message = self._sandbox.death() or ("InterruptIgnored", say("assign.interrupt_ignored"))
            cell.outputs.append(error_output(message, name))
            return cell, resources


def task_ids(source: Path) -> list[str]:
    """The grade_ids of the test cells in a teacher's source notebook (none if it cannot be read)."""
    import nbformat

    try:
        nb = nbformat.read(source, as_version=4)
    except Exception:  # then the assignment's name alone decides its limits
        return []
    return [cell.metadata.nbgrader.get("grade_id") for cell in nb.cells if is_test_cell(cell)]


def take_records(cell) -> list[dict]:
    """Remove the records from a cell's outputs and return them."""
    records, kept = [], []
    for output in cell.get("outputs", []):
        data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
        if MIME in data:
            records.append(data[MIME])
        else:
            kept.append(output)
    cell.outputs = kept
    return records


def first_error(cell):
    return next((output for output in cell.get("outputs", []) if output.get("output_type") == "error"), None)


def judged_outputs(outcome) -> list:
    """A test cell's outputs, made from the judge's outcome alone."""
    outputs = []
    shown = outcome.shown or (outcome.message if outcome.passed else "")
    if shown:
        outputs.append(shown_output(shown))
    if outcome.picture:  # the doctor's seed strip, drawn by the judge
        outputs.append(new_output("display_data", data={"image/png": outcome.picture,
                                                        "text/plain": outcome.diagnosis or "-"}))
    if outcome.diagnosis_picture:  # and the picture of the diagnosis most tries got
        from smiley_checks.training.diagnosis.words import short

        outputs.append(new_output("display_data", data={"image/png": outcome.diagnosis_picture,
                                                        "text/plain": short(outcome.main_diagnosis)}))
    if not outcome.passed:
        outputs.append(error_output(outcome.message))
    return outputs


def without_results(outputs) -> list:
    """A test cell we do not judge (a teacher's own): an execute_result no longer counts as a score."""
    return [new_output("display_data", data=o.get("data", {}), metadata=o.get("metadata", {}))
            if o.get("output_type") == "execute_result" else o for o in outputs]


def rejudge(nb, log=None, cache=None, inputs=None) -> dict:
    """Judge the records in every test cell outside the kernel and write each test cell's outputs anew.
    Returns outcomes by grade_id. `cache`: the class run's VerdictCache, handed to the judge over its stdin;
    `inputs`: the course's hidden inputs (the literal the kernel got).

    nbgrader scores a test cell by its first execute_result (any text = full points) or error, so
    nothing the kernel left may stay in a judged test cell: its outputs become the judge's outcome,
    or, where the cell already failed in the kernel (or the kernel died), that one error and its 0."""
    from smiley_grader.judge import judge_outside, trains
    from smiley_checks.tasks import TASKS
    from smiley_checks.tasks.records import failed

    cells = []
    for cell in nb.cells:
        records = take_records(cell) if cell.cell_type == "code" else []
        if not is_test_cell(cell):
            continue
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id not in TASKS:
            cell.outputs = without_results(cell.outputs)
            continue
        mine = [r for r in records if isinstance(r, dict) and r.get("task") == grade_id]
        cells.append((cell, grade_id, mine[-1] if mine else None, first_error(cell)))
    # A cell that already failed in the kernel keeps its error (and its 0): nothing to confirm.
    # A network in such a cell is still described (not trained) for the class report.
    to_judge = [(grade_id, record, error is not None) for cell, grade_id, record, error in cells
                if record is not None and (error is None or trains(grade_id))]
    judged = iter(judge_outside(to_judge, log=log, cache=cache, inputs=inputs) if to_judge else [])
    outcomes = {}
    for cell, grade_id, record, error in cells:
        if error is not None:
            described = next(judged) if record is not None and trains(grade_id) else None
            remember(cell, described.changes if described else "", str(error.get("evalue", "")))
            cell.outputs = [error]
            continue
        outcome = next(judged) if record is not None else failed(say("assign.no_record"))
        # A verdict says the most in one line (reliable with every seed's accuracy), also when it fails the task.
        remember(cell, outcome.changes, outcome.shown or outcome.message, outcome.diagnosis, outcome.main_diagnosis)
        outcomes[grade_id] = outcome
        cell.outputs = judged_outputs(outcome)
    return outcomes


def remember(cell, changes: str, said: str, diagnosis: str = "", main_diagnosis: str = "") -> None:
    """For the class report, in the grader's own metadata (never read back from outputs): what the
    network changed, the first line of what the grader said, why the network broke (a diagnosis, one
    line) and the code of the diagnosis most tries got; the report shortens each to one line of its
    table (classgrading/one_line.py). Whatever a student put under this key before is replaced."""
    from smiley_checks.training.diagnosis.rules import ORDER

    cell.metadata.pop("smiley_checks", None)
    about = {"changes": changes} if changes else {}
    for name, text in (("said", said), ("diagnosis", diagnosis)):
        line = next((part.strip() for part in text.splitlines() if part.strip()), "")
        if line:
            about[name] = line
    if main_diagnosis in ORDER:
        about["main_diagnosis"] = main_diagnosis
    if about:
        cell.metadata["smiley_checks"] = about
