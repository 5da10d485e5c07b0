"""One line per finished student: who, how it went, and where the class run stands.

    ada: graded (12 s) | graded 3/17 (skipped 0), running 2, failed 0, 41s so far, about 1m50s left

pool.py prints it as Dask's `as_completed` hands over each student; there is no ticker thread.
"""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, slots: int, stream=None, clock=time.monotonic):
        self.total = total
        self.slots = max(1, slots)  # students graded at once (the cluster's worker threads)
        self.stream = stream or sys.stdout
        self.clock = clock
        self.started = clock()
        self.done = self.failed = self.skipped = 0
        self.seconds: list[float] = []

    def skip(self, student: str) -> None:
        self.skipped += 1
        self.done += 1

    @property
    def running(self) -> int:
        return min(self.slots, self.total - self.done)

    def left_seconds(self) -> float | None:
        """Average seconds per graded student x students not finished / slots, minus what is already running."""
        if not self.seconds:
            return None
        average = sum(self.seconds) / len(self.seconds)
        waiting = self.total - self.done - self.running
        return max(0.0, (waiting + self.running * 0.5) * average / self.slots)

    def line(self) -> str:
        from smiley_checks.messages import say

        left = self.left_seconds()
        return say("grade.progress", done=self.done, total=self.total, running=self.running, failed=self.failed,
                   skipped=self.skipped, elapsed=_duration(self.clock() - self.started),
                   left="?" if left is None else _duration(left))

    def finish(self, student: str, ok: bool, seconds: float) -> str:
        """Count a finished student and print their line."""
        from smiley_checks.messages import say

        self.done += 1
        self.failed += 0 if ok else 1
        self.seconds.append(seconds)
        status = say("grade.status.graded" if ok else "grade.status.failed")
        text = say("grade.finished", student=student, status=status, seconds=_duration(seconds)) + " | " + self.line()
        self.stream.write(text + "\n")
        self.stream.flush()
        return text


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
