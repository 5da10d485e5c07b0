"""What a student changed in the original network, in one line: for grouping a class.

The class report groups the students' smallest breaks by this line, so two students
who removed the same layers land in one group whatever the autograder said. Removing
every layer of a type reads as one change ("all BatchNormalization layers removed");
any other edit is compare's own sentence for it.
"""

from __future__ import annotations

from collections import Counter

from smiley_checks.inspection.compare import compare, original_description
from smiley_checks.messages import say


def what_changed(model_or_builder) -> str:
    comparison = compare(model_or_builder)
    if comparison.same:
        return say("compare.same")
    in_original = Counter(original_description().types)
    missing = Counter(edit.expected.type for edit in comparison.edits if edit.kind == "missing")
    all_gone = [layer for layer, count in missing.items() if count == in_original[layer]]
    parts = [say("compare.removed_all", layer=layer) for layer in sorted(all_gone)]
    parts += [edit.message() for edit in comparison.edits
              if not (edit.kind == "missing" and edit.expected.type in all_gone)]
    return " ".join(parts)
