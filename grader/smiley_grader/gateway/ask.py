"""What a kernel may ask the gateway: a verdict for one network, read and checked before any work.

    ask = read_ask(body)        # Ask, or Refused with one sentence for the student

The body is JSON: {"model": "<the network's Keras config, as model.to_json() writes it>",
"seeds": 5}. The config is checked against the lesson's layers here (config_allowlist.checked_json),
and again on the worker before it is rebuilt: what the worker rebuilds is what was checked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from smiley_checks.messages import say

MAX_BODY_BYTES = 512 * 1024  # the lesson's network is about 12 kB of JSON; 500 layers fit
MAX_SEEDS = 10  # show_verdict's default is 5


class Refused(Exception):
    """The ask is not one the gateway answers: str() is one sentence for the student."""


@dataclass(frozen=True)
class Ask:
    model: str  # the checked Keras config, without compile settings
    seeds: int


def read_ask(body: bytes) -> Ask:
    from smiley_checks.inspection.config_allowlist import NotAllowed, checked_json
    from smiley_checks.tasks.break_model import without_compile

    if len(body) > MAX_BODY_BYTES:
        raise Refused(say("gateway.too_big"))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Refused(say("gateway.not_an_ask")) from None
    if not isinstance(data, dict) or not isinstance(data.get("model"), str):
        raise Refused(say("gateway.not_an_ask"))
    seeds = data.get("seeds", 5)
    if type(seeds) is not int or not 1 <= seeds <= MAX_SEEDS:
        raise Refused(say("gateway.bad_seeds", most=MAX_SEEDS))
    try:
        model = checked_json(without_compile(data["model"]))
    except NotAllowed as error:
        raise Refused(str(error)) from None
    except (ValueError, TypeError, AttributeError, RecursionError):
        raise Refused(say("gateway.not_an_ask")) from None
    return Ask(model=model, seeds=seeds)
