"""What the kernel sandbox (grader/smiley_grader/sandbox.py) costs per student.

(a) kernel start: a sandboxed and an ordinary ipykernel started until they answer kernel_info,
    and shut down, taking turns (ROUNDS each);
(b) grading: the honest `layers` students of the example class autograded one at a time
    (`grade --workers 1`, one `nbgrader autograde --student` each), with and without the
    sandbox, taking turns twice; a student's time is its worker's time.
Command line: python -m benchmarks.sandbox_bench
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 5
STUDENTS = ("ada", "bert", "chloe", "dirk")  # honest; their scores do not depend on the sandbox


def kernel_start(manager_class, cwd: Path) -> float:
    async def go() -> float:
        started = time.perf_counter()
        manager = manager_class(kernel_name="python3")
        await manager.start_kernel(cwd=str(cwd))
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=120)
        await manager.shutdown_kernel()
        client.stop_channels()
        await manager.cleanup_resources()
        return time.perf_counter() - started

    return asyncio.run(go())


def grading(course, sandbox: bool) -> list[float]:
    from smiley_grader.classgrading.database import db_url
    from smiley_grader.classgrading.pool import grade_all
    from smiley_grader.sandbox_kernel import MODE_VARIABLE

    env = {"HOME": str(course.home("teacher")), MODE_VARIABLE: "on" if sandbox else "off"}
    results = grade_all(course.root, "layers", db_url(course.root), workers=1, force=True, env=env,
                        stream=io.StringIO())
    failed = [r.student for r in results.values() if r.status != "graded"]
    assert not failed, failed
    return [r.seconds for r in results.values()]


def main() -> None:
    from jupyter_client import AsyncKernelManager

    from smiley_grader.classgrading.example import collected_class
    from smiley_grader.sandbox import problem
    from smiley_grader.sandbox_kernel import SandboxedKernelManager

    why = problem()
    if why:
        print(f"sandbox: not measured ({why})")
        return
    load = os.getloadavg()
    starts = {"sandbox": [], "plain": []}
    grades = {"sandbox": [], "plain": []}
    with tempfile.TemporaryDirectory(prefix="smiley-sandbox-bench-") as scratch:
        scratch = Path(scratch)
        (scratch / "work").mkdir()
        for _ in range(ROUNDS):
            starts["sandbox"].append(kernel_start(SandboxedKernelManager, scratch / "work"))
            starts["plain"].append(kernel_start(AsyncKernelManager, scratch / "work"))
        course, _ = collected_class(scratch / "class", "layers", students=STUDENTS)
        for _ in range(2):
            grades["sandbox"] += grading(course, True)
            grades["plain"] += grading(course, False)
    start = {k: statistics.median(v) for k, v in starts.items()}
    student = {k: statistics.median(v) for k, v in grades.items()}
    print(f"sandbox: kernel start to ready and shut down, median of {ROUNDS}: {start['sandbox']:.2f} s sandboxed, "
          f"{start['plain']:.2f} s without ({start['sandbox'] - start['plain']:+.2f} s)")
    print(f"sandbox: layers autograde per student (--workers 1, {len(grades['plain'])} runs each): median "
          f"{student['sandbox']:.1f} s sandboxed, {student['plain']:.1f} s without "
          f"({student['sandbox'] - student['plain']:+.1f} s); load average before/after "
          f"{load[0]:.1f}/{os.getloadavg()[0]:.1f}", flush=True)
    print(json.dumps({"kernel_start_s": {k: [round(x, 2) for x in v] for k, v in starts.items()},
                      "per_student_s": {k: [round(x, 1) for x in v] for k, v in grades.items()}}))


if __name__ == "__main__":
    main()
