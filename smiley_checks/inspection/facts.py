"""Yes/no facts about a network's structure, for hidden tests and the checks.

Every function takes a Keras model or a builder function. None of them
validates the lesson's input/output (see submission.validate), so a fact
about a broken model is an answer, not an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from smiley_checks.inspection.compare import Edit, compare
from smiley_checks.inspection.describe import describe


def _types(names) -> set[str]:
    return {names} if isinstance(names, str) else set(names)


def layer_types(model) -> list[str]:
    """Layer types in order, without the InputLayer."""
    return describe(model).types


def count_layers(model) -> Counter:
    """How many layers of each type, e.g. Counter({'Conv2D': 5, 'Dense': 2, ...})."""
    return Counter(layer_types(model))


def count_of(model, type_name: str) -> int:
    return count_layers(model)[type_name]


def has_no_layers_of(model, *type_names: str) -> bool:
    return not (set(layer_types(model)) & set(type_names))


def only_layer_types(model, allowed: Iterable[str]) -> bool:
    return set(layer_types(model)) <= _types(allowed)


def edits_from_original(model) -> list[Edit]:
    return list(compare(model).edits)


def edit_distance_to_original(model) -> int:
    return compare(model).distance


def differs_from_original_only_by(model, *, missing=(), extra=(), changed=()) -> bool:
    """True when every difference from the original is allowed.

    missing/extra/changed are layer types that may be removed, added or have
    other settings; a replaced layer counts as one missing plus one extra.
    A swap is never allowed. No difference at all is also True.
    """
    missing, extra, changed = _types(missing), _types(extra), _types(changed)
    for edit in edits_from_original(model):
        if edit.kind == "missing" and edit.expected.type in missing:
            continue
        if edit.kind == "extra" and edit.actual.type in extra:
            continue
        if edit.kind == "changed" and edit.expected.type in changed:
            continue
        if edit.kind == "replaced" and edit.expected.type in missing and edit.actual.type in extra:
            continue
        return False
    return True


def input_is(model, shape) -> bool:
    return describe(model).input_shape == tuple(shape)


def ends_in_classes(model, classes: int = 2, activation: str | None = "softmax") -> bool:
    """Output is `classes` scores; with `activation`, the last layer applies it."""
    description = describe(model)
    if description.output_shape != (classes,):
        return False
    if activation is None:
        return True
    last = description.layers[-1]
    return last.settings.get("activation") == activation or last.type.lower() == activation
