"""Starting and stopping the servers the browser tests talk to (JupyterLab, JupyterHub): each in a
process group of its own, with its output in a log file. Shared by tests/browser/conftest.py and
tests/installed/test_hub_course.py."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

VIEWPORT = {"width": 1280, "height": 860}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalServer:
    """`command` in a process group of its own; `start` waits until `ready_url` answers 200."""

    def __init__(self, name: str, command: list[str], ready_url: str, log_path: Path, cwd: Path, env: dict):
        self.name, self.command, self.ready_url, self.log_path = name, command, ready_url, log_path
        self.cwd, self.env = cwd, env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90):
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer on {self.ready_url} in {timeout:.0f} s:\n{self.log()}")

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text()[-tail:]
        except OSError:
            return ""

    def stop_group(self, grace: float) -> None:
        """SIGTERM to the whole group, `grace` seconds to end, then SIGKILL."""
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue

    def close(self) -> None:
        self.log_file.close()
        self.process = None
