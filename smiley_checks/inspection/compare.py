"""How a student's network differs from the expected one: a diff, not a zip.

The two layer sequences are aligned with an edit distance (Levenshtein over
layers, plus swaps of neighbours), so one missing layer in the middle is one
edit and not "everything after it is wrong". Layers align when their types
match; different settings then show up as a "changed" edit. Settings are the
layer's whole config (inspection/layer_config.py), not only the key settings the
table shows: trainable=False or zero initialisers change a layer too. However many
settings of one layer change, that layer counts as one edit (the lesson: "changing
a setting of a layer counts as 1 edit").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from smiley_checks.inspection.describe import KEY_SETTINGS, LayerDescription, ModelDescription, describe
from smiley_checks.inspection.layer_config import text as _value_text
from smiley_checks.messages import say
from smiley_checks.network import BLOCK_FILTERS

EDIT_KINDS = ("missing", "extra", "replaced", "changed", "swapped")
LAYERS_PER_BLOCK = 4  # Conv2D, BatchNormalization, MaxPooling2D, Dropout


def lesson_place(index: int) -> tuple:
    """Where layer `index` (0-based) of the original network sits: a conv block or the head."""
    block = index // LAYERS_PER_BLOCK + 1
    return ("block", block) if block <= len(BLOCK_FILTERS) else ("head",)


def position_place(index: int) -> tuple:
    """For an expected network that is not the original: just the layer number."""
    return ("layer", index + 1)


def place_text(place: tuple) -> str:
    if place[0] == "block":
        return say("compare.block", number=place[1])
    if place[0] == "head":
        return say("compare.head")
    return say("compare.position", number=place[1])


# Settings outside the table get a few words on what they do; by name or name ending.
ABOUT = ("trainable", "use_bias", "dtype", "seed", "momentum", "initializer", "regularizer", "constraint")


def setting_text(key: str, old, new) -> str:
    values = {"setting": key, "old": _value_text(old), "new": _value_text(new)}
    about = next((word for word in ABOUT if key == word or key.endswith("_" + word)), None)
    if about is None:
        return say("compare.setting", **values)
    return say("compare.setting_about", about=say(f"compare.about.{about}"), **values)


@dataclass(frozen=True)
class Edit:
    kind: str  # one of EDIT_KINDS
    place: tuple  # ("block", n) | ("head",) | ("layer", n)
    expected: LayerDescription | None = None  # the original's layer (missing/replaced/changed/swapped)
    actual: LayerDescription | None = None  # the student's layer (extra/replaced/changed/swapped)
    previous: LayerDescription | None = None  # the layer just before, to say where
    changes: tuple = ()  # (setting, old, new) for "changed"
    cost: int = 1  # a swap is two layer edits

    def message(self) -> str:
        where = place_text(self.place)
        if self.kind == "missing":
            if self.previous is None:
                return say("compare.missing_first", where=where, layer=self.expected.label())
            return say("compare.missing", where=where, layer=self.expected.label(), previous=self.previous.label())
        if self.kind == "extra":
            if self.previous is None:
                return say("compare.extra_first", where=where, layer=self.actual.label())
            return say("compare.extra", where=where, layer=self.actual.label(), previous=self.previous.label())
        if self.kind == "replaced":
            return say("compare.replaced", where=where, expected=self.expected.label(), actual=self.actual.label())
        if self.kind == "swapped":
            return say("compare.swapped", where=where, first=self.expected.label(), second=self.actual.label())
        changes = ", ".join(setting_text(key, old, new) for key, old, new in self.changes)
        return say("compare.changed", where=where, layer=self.expected.label(), changes=changes)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "where": place_text(self.place),
            "expected": self.expected.label() if self.expected else None,
            "actual": self.actual.label() if self.actual else None,
            "changes": {key: [_value_text(old), _value_text(new)] for key, old, new in self.changes},
            "message": self.message(),
        }


@dataclass(frozen=True)
class Comparison:
    edits: tuple[Edit, ...]

    @property
    def distance(self) -> int:
        return sum(edit.cost for edit in self.edits)

    @property
    def same(self) -> bool:
        return not self.edits

    def messages(self) -> list[str]:
        return [edit.message() for edit in self.edits]

    def report(self) -> str:
        if self.same:
            return say("compare.same")
        return "\n".join([say("compare.summary", distance=self.distance), *(f"- {m}" for m in self.messages())])

    def to_json(self) -> dict:
        return {"same": self.same, "edit_distance": self.distance, "edits": [edit.to_json() for edit in self.edits]}


def _configs(a: LayerDescription, b: LayerDescription) -> bool:
    """Both whole configs are known (Keras could not write one for e.g. a lambda activation)."""
    return bool(a.config) and bool(b.config)


def _same(a: LayerDescription, b: LayerDescription) -> bool:
    return a.type == b.type and a.settings == b.settings and (not _configs(a, b) or a.config == b.config)


def _changes(a: LayerDescription, b: LayerDescription) -> tuple:
    """Key settings first, as the table shows them; then every other setting that differs."""
    keys = [k for k in KEY_SETTINGS if k in a.settings or k in b.settings]
    changes = [(k, a.settings.get(k), b.settings.get(k)) for k in keys if a.settings.get(k) != b.settings.get(k)]
    if _configs(a, b):
        shown = {key for key, _, _ in changes}
        changes += [(k, a.config.get(k), b.config.get(k)) for k in dict.fromkeys([*a.config, *b.config])
                    if k not in shown and a.config.get(k) != b.config.get(k)]
    return tuple(changes)


def align(expected, actual, place=lesson_place) -> tuple[Edit, ...]:
    """The smallest list of layer edits that turns `expected` into `actual`."""
    exp, act = list(expected), list(actual)
    n, m = len(exp), len(act)
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]

    def swapped(i, j):  # exp[i-2:i] appear as act[j-2:j] in the other order
        return (
            i > 1 and j > 1 and exp[i - 1].type != exp[i - 2].type
            and _same(exp[i - 2], act[j - 1]) and _same(exp[i - 1], act[j - 2])
        )

    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (0 if _same(exp[i - 1], act[j - 1]) else 1))
            if swapped(i, j):
                best = min(best, d[i - 2][j - 2] + 2)
            d[i][j] = best

    # Walk back. On ties prefer a swap, then extra/missing layers: this puts
    # edits late, so layers added after the end are reported as trailing.
    edits: list[Edit] = []
    i, j = n, m
    while i or j:
        if swapped(i, j) and d[i][j] == d[i - 2][j - 2] + 2:
            edits.append(Edit("swapped", place(i - 2), expected=exp[i - 2], actual=exp[i - 1], cost=2))
            i, j = i - 2, j - 2
        elif j and d[i][j] == d[i][j - 1] + 1:
            previous = act[j - 2] if j > 1 else None
            edits.append(Edit("extra", place(max(i - 1, 0)), actual=act[j - 1], previous=previous))
            j -= 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            previous = exp[i - 2] if i > 1 else None
            edits.append(Edit("missing", place(i - 1), expected=exp[i - 1], previous=previous))
            i -= 1
        else:
            a, b = exp[i - 1], act[j - 1]
            if a.type != b.type:
                edits.append(Edit("replaced", place(i - 1), expected=a, actual=b))
            elif not _same(a, b):
                edits.append(Edit("changed", place(i - 1), expected=a, actual=b, changes=_changes(a, b)))
            i, j = i - 1, j - 1
    return tuple(reversed(edits))


@lru_cache(maxsize=1)
def original_description() -> ModelDescription:
    from smiley_checks.network import build_original

    return describe(build_original(compiled=False))


def compare(model_or_builder, expected=None) -> Comparison:
    """Compare with `expected` (a model, builder or ModelDescription; default: the original network)."""
    actual = model_or_builder if isinstance(model_or_builder, ModelDescription) else describe(model_or_builder)
    if expected is None:
        return Comparison(align(original_description().layers, actual.layers, lesson_place))
    if not isinstance(expected, ModelDescription):
        expected = describe(expected)
    return Comparison(align(expected.layers, actual.layers, position_place))


def edit_distance(model_or_builder, expected=None) -> int:
    """Number of layer edits (missing, extra, replaced, changed: 1 each; a swap: 2)."""
    return compare(model_or_builder, expected).distance
