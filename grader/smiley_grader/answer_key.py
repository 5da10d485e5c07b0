"""The answer key of the written set answer (`never_remove`), which students must not read.

The notebook's check only looks at the form of the answer (a set of the lesson's
layer types); this decides it.
"""

from __future__ import annotations

from smiley_checks.messages import say
from smiley_checks.tasks.break_model import layer_type_names
from smiley_checks.tasks.records import failed, not_attempted, passed

# Without Flatten the output is not 2 scores and the loss refuses it; without the last Dense there are no 2 scores.
NEVER_REMOVE = frozenset({"Dense", "Flatten"})


def judge_never_remove(record: dict):
    if record.get("not_attempted"):
        return not_attempted(say("check.not_attempted", name="never_remove"))
    names = layer_type_names(record.get("value"))
    if isinstance(names, str):
        return failed(names)
    removable = names - NEVER_REMOVE
    if removable:
        return failed(say("key.never_remove.removable", names=", ".join(sorted(removable))))
    if names != NEVER_REMOVE:
        return failed(say("key.never_remove.missing"))
    return passed(say("key.never_remove.correct"))
