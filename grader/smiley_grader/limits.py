"""How long and how big grading may get: cell timeouts and the kernel's memory.

The numbers are derived from the training protocol (smiley_checks.training.protocol),
so a recalibrated protocol moves the timeouts with it.
"""

from __future__ import annotations

import resource

# What one epoch of the grading protocol may cost on a busy 2-core machine, for the
# slowest network a student can reach with a few edits (no MaxPooling2D in two blocks:
# about 4.5 s per epoch measured while another training job shared the cores).
WORST_SECONDS_PER_EPOCH = 6
# Starting a kernel, importing TensorFlow (about 7 s) and loading the smileys.
START_SECONDS = 60
# The `layers` assignment trains nothing: its slowest cell imports TensorFlow (about 7 s) and
# builds the network once.
LAYERS_CELL_TIMEOUT = 30
# A kernel that trains the original network peaks at about 2.8 GiB of address space
# (TensorFlow reserves more than it uses); 5 GiB leaves room for honest work and stops
# a runaway allocation long before it hurts a shared machine.
KERNEL_MEMORY_BYTES = 5 * 1024**3
# RAM for one sandbox: all its processes together (PSS) and its tmpfs folders. The largest honest
# kernel measured (2026-12-04: a breek_het_model notebook that trains the lesson's network) peaked at
# 1309 MB, a layers kernel at 630 MB (docs/sandbox.md); 3 GiB leaves room for a student's extra
# network, and two workers stay below 7 GB.
SANDBOX_MEMORY_BYTES = 3 * 1024**3


def seeds() -> int:
    from smiley_checks.training.reliability import DEFAULT_SEEDS

    return DEFAULT_SEEDS


def training_timeout(protocol=None, seed_count: int | None = None) -> int:
    """Seconds a 5-seed verdict may take with `protocol` (default: the grading protocol)."""
    if protocol is None:
        from smiley_checks.training.protocol import GRADING as protocol
    count = seeds() if seed_count is None else seed_count
    return START_SECONDS + count * protocol.epochs * WORST_SECONDS_PER_EPOCH


def cell_timeout() -> int:
    """nbgrader's Execute.timeout: the slowest honest cell trains one 5-seed verdict,
    or once with the lesson's own protocol (fit(epochs=5, batch_size=1))."""
    from smiley_checks.training.protocol import LESSON

    lesson_run = START_SECONDS + LESSON.epochs * WORST_SECONDS_PER_EPOCH * 2  # batch 1 is slower per epoch
    return max(training_timeout(), lesson_run)


def kind_of(assignment: str | None, task_ids=()) -> str | None:
    """Which of the lesson's assignments this one is, by its English name ("layers", "break_the_model").

    Both languages by their names (smiley_checks.notebook_template); a teacher's renamed copy by the
    tasks its test cells grade (`task_ids`, from the teacher's source notebook). None: unknown."""
    from smiley_checks.notebook_template import ASSIGNMENT_NAMES, english_name
    from smiley_checks.tasks import TASKS

    english = english_name(assignment or "")
    if english in ASSIGNMENT_NAMES:
        return english
    kinds = {TASKS[task].assignment for task in task_ids if task in TASKS}
    return kinds.pop() if len(kinds) == 1 else None


def notebook_timeouts() -> dict[str, int]:
    """Seconds a whole notebook may run, per kind of assignment (the sandbox stops its kernel after that):
    `layers` has 8 test cells that train nothing; `break_the_model` trains in 5 cells, each up to
    a cell timeout, with room for the lesson's own training run on top."""
    return {"layers": 10 * LAYERS_CELL_TIMEOUT, "break_the_model": 6 * cell_timeout()}


def notebook_timeout(kind: str | None) -> int:
    """The whole-notebook limit of a kind; an unknown assignment gets the largest (it may train in
    every cell: a limit that is too long costs a worker's time, one too short costs honest points)."""
    timeouts = notebook_timeouts()
    return timeouts.get(kind or "", max(timeouts.values()))


def assignment_cell_timeout(kind: str | None) -> int | None:
    """The cell timeout of a kind that trains nothing (`layers`); None: nbgrader's Execute.timeout."""
    return LAYERS_CELL_TIMEOUT if kind == "layers" else None


def limit_memory(limit: int = KERNEL_MEMORY_BYTES) -> None:
    """Cap this process's address space (soft and hard limit): a too-big allocation then
    raises MemoryError instead of pushing the machine into swap or the OOM killer."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
