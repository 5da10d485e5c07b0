"""The verdict cache reaches nbgrader's process through a pipe: not argv, not the environment."""

import sys

from smiley_grader.classgrading.worker import run_once
from smiley_checks.training.verdict_cache import VerdictCache, new_secret

CHILD = """
import json, os
from smiley_grader.cache_handover import FD_VARIABLE, receive
cache = receive()
print(json.dumps({"handover": cache.handover(), "variable_left": FD_VARIABLE in os.environ, "again": receive() is None}))
"""


def test_the_secret_travels_over_a_pipe_only(tmp_path):
    import json

    cache = VerdictCache(tmp_path / "verdicts", new_secret())
    secret = cache.handover()["secret"]
    log = tmp_path / "child.log"
    command = [sys.executable, "-c", CHILD]
    env = {"PATH": "/usr/bin:/bin"}
    attempt = run_once(command, tmp_path, env, log, timeout=60, handover=cache.handover())
    assert attempt.returncode == 0, attempt.output
    seen = json.loads(attempt.output.strip().splitlines()[-1])
    assert seen == {"handover": cache.handover(), "variable_left": False, "again": True}
    assert secret not in " ".join(command) and secret not in json.dumps(env)


def test_plain_nbgrader_has_no_cache(monkeypatch):
    from smiley_grader.cache_handover import FD_VARIABLE, receive

    monkeypatch.delenv(FD_VARIABLE, raising=False)
    assert receive() is None
