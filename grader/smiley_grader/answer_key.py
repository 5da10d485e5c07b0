"""The answer of the written set answer (`never_remove`), which students must not read.

The notebook's check only looks at the form of the answer (a set of the lesson's
layer types); the task's judge decides it with this, in its key (keys.py).
"""

from __future__ import annotations

# Without Flatten the output is not 2 scores and the loss refuses it; without the last Dense there are no 2 scores.
NEVER_REMOVE = frozenset({"Dense", "Flatten"})
# What the judge says (catalogue/answer_key.json): layers that could go, one missing, right.
NEVER_REMOVE_TEXTS = {"removable": "key.never_remove.removable", "missing": "key.never_remove.missing",
                      "correct": "key.never_remove.correct"}
