"""The progress line: students done, running, failed, and an estimate of the time left.

On a terminal the line is rewritten in place every second; elsewhere (a log, CI) a line
is printed each time a student finishes.
"""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    def __init__(self, total: int, workers: int, stream=None, clock=time.monotonic):
        self.total = total
        self.workers = max(1, workers)
        self.stream = stream or sys.stdout
        self.clock = clock
        self.started = clock()
        self.done = self.failed = self.skipped = 0
        self.running: set[str] = set()
        self.seconds: list[float] = []
        self._lock = threading.Lock()
        self._out = threading.Lock()  # one whole line at a time, from any worker thread
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def skip(self, student: str) -> None:
        with self._lock:
            self.skipped += 1
            self.done += 1

    def start(self, student: str) -> None:
        with self._lock:
            self.running.add(student)
        self.show()

    def finish(self, student: str, ok: bool, seconds: float) -> None:
        with self._lock:
            self.running.discard(student)
            self.done += 1
            self.failed += 0 if ok else 1
            self.seconds.append(seconds)
        self.show(force=True)

    def left_seconds(self) -> float | None:
        """Average seconds per graded student x students not finished / workers, minus what is already running."""
        if not self.seconds:
            return None
        average = sum(self.seconds) / len(self.seconds)
        waiting = self.total - self.done - len(self.running)
        return max(0.0, (waiting + len(self.running) * 0.5) * average / self.workers)

    def line(self) -> str:
        from smiley_checks.messages import say

        left = self.left_seconds()
        left_text = "?" if left is None else _duration(left)
        return say("grade.progress", done=self.done, total=self.total, running=len(self.running),
                   failed=self.failed, skipped=self.skipped, elapsed=_duration(self.clock() - self.started),
                   left=left_text)

    def show(self, force: bool = False) -> None:
        with self._out:
            if self._tty:
                self.stream.write("\r" + self.line().ljust(100))
            elif force:
                self.stream.write(self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self._tty:
            self.stream.write("\n")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"
