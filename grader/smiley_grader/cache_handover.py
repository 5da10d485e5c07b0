"""Getting the verdict cache's secret from `smiley-checks grade` into nbgrader's process.

The class run starts one `nbgrader autograde --student` per student. Each gets the
cache (folder and secret) through an inherited pipe, never through argv, environment
or a file, because the student's kernel can read those. The environment carries only
the pipe's file descriptor number, and GradingExecute reads and closes the pipe (and
removes the number) before it starts the kernel. The judge gets it on its stdin.
"""

from __future__ import annotations

import json
import os

FD_VARIABLE = "SMILEY_CHECKS_VERDICT_FD"


def pipe_for(handover: dict) -> tuple[int, dict]:
    """A pipe holding `handover`: (read end for Popen's pass_fds, environment to add). Close the fd after Popen."""
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as writer:
        writer.write(json.dumps(handover).encode())  # a few hundred bytes: fits the pipe's buffer
    return read_end, {FD_VARIABLE: str(read_end)}


def receive():
    """The cache handed to this process, or None (plain `nbgrader autograde`). Reads once."""
    from smiley_checks.training.verdict_cache import VerdictCache

    number = os.environ.pop(FD_VARIABLE, None)
    if number is None or not number.isdigit():
        return None
    try:
        with os.fdopen(int(number), "rb") as reader:
            data = json.loads(reader.read(65536) or b"null")
    except (OSError, ValueError):
        return None
    return VerdictCache.from_handover(data)
