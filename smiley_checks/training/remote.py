"""show_verdict on the class's server: when the notebook's environment names the class's training
gateway (docs/hub.md), the kernel sends the network's Keras config there and gets the verdict back.

    SMILEY_TRAINING_GATEWAY=http://127.0.0.1:8081/services/smiley-gateway/   (set by the hub)
    verdict = remote_verdict(model, seeds=5)      # a reliability.Verdict, as if trained here

Only the config goes, as JSON: the server rebuilds it from the lesson's layers (nothing else) and
trains it with the grading protocol. The kernel proves who it is with its hub token.
"""

from __future__ import annotations

import http.client
import json
import os
import time
import urllib.error
import urllib.request

from smiley_checks.errors import SmileyChecksError
from smiley_checks.messages import say

GATEWAY_VARIABLE = "SMILEY_TRAINING_GATEWAY"
TOKEN_VARIABLES = ("SMILEY_TRAINING_TOKEN", "JUPYTERHUB_API_TOKEN")
POLL_SECONDS = 1.0
REQUEST_SECONDS = 30.0
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # a verdict with its pictures is about 100 kB


def gateway() -> tuple[str, str] | None:
    """(address, token) when this kernel trains on a server, else None (it trains in its own process)."""
    address, token = os.environ.get(GATEWAY_VARIABLE, "").strip(), own_token()
    return (address.rstrip("/") + "/", token) if address and token else None


def own_token() -> str:
    """The token this process proves who it is with ("" when it has none)."""
    return next((os.environ[name] for name in TOKEN_VARIABLES if os.environ.get(name)), "")


def remote_verdict(model, seeds: int, address: str, token: str, sleep=time.sleep, say_line=print):
    from smiley_checks.tasks.break_model import without_compile
    from smiley_checks.training.reliability import Verdict

    body = json.dumps({"model": without_compile(model.to_json()), "seeds": int(seeds)}).encode()
    started = _ask(address + "verdicts", token, body)
    job = started.get("job")
    if not isinstance(job, str):
        raise SmileyChecksError(say("remote.unexpected"))
    told_ahead = None
    while True:
        answer = _ask(f"{address}verdicts/{job}", token)
        if answer.get("state") == "done":
            break
        ahead = answer.get("ahead")
        if isinstance(ahead, int) and ahead != told_ahead:
            say_line(say("remote.waiting", ahead=ahead))
            told_ahead = ahead
        sleep(POLL_SECONDS)
    if "refused" in answer:
        raise SmileyChecksError(str(answer["refused"]))
    try:
        return Verdict(**answer["verdict"])
    except (KeyError, TypeError):
        raise SmileyChecksError(say("remote.unexpected")) from None


def _ask(url: str, token: str, body: bytes | None = None) -> dict:
    """One request; the server's own sentence when it refuses, one of ours when it cannot be reached."""
    from smiley_checks.messages import language

    headers = {"Authorization": f"token {token}", "Content-Type": "application/json", "Accept-Language": language()}
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:
            text = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        try:
            text = error.read(MAX_ANSWER_BYTES + 1)
        except (OSError, http.client.HTTPException):  # it refused a body it would not read, and hung up
            text = b""
        refused = _json(text).get("refused")
        raise SmileyChecksError(str(refused) if refused else say("remote.unexpected")) from None
    except (urllib.error.URLError, OSError, ValueError):
        raise SmileyChecksError(say("remote.unreachable")) from None
    return _json(text)


def _json(text: bytes) -> dict:
    if len(text) > MAX_ANSWER_BYTES:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
