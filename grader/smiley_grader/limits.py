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


def notebook_timeouts() -> dict[str, int]:
    """Seconds a whole notebook may run, per assignment (the sandbox stops its kernel after that):
    `layers` has 8 test cells that train nothing; `break_the_model` trains in 5 cells, each up to
    a cell timeout, with room for the lesson's own training run on top."""
    return {"layers": 10 * LAYERS_CELL_TIMEOUT, "break_the_model": 6 * cell_timeout()}


def limit_memory(limit: int = KERNEL_MEMORY_BYTES) -> None:
    """Cap this process's address space (soft and hard limit): a too-big allocation then
    raises MemoryError instead of pushing the machine into swap or the OOM killer."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
