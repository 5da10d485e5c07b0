"""Read a student's Keras model: describe it, compare it with the original, state facts.

Importing this package does not import TensorFlow; the functions do, when called.
"""

from smiley_checks.inspection.compare import Comparison, Edit, compare, edit_distance, original_description
from smiley_checks.inspection.describe import LayerDescription, ModelDescription, describe, format_table
from smiley_checks.inspection.facts import (
    count_layers,
    count_of,
    differs_from_original_only_by,
    edit_distance_to_original,
    edits_from_original,
    ends_in_classes,
    has_no_layers_of,
    input_is,
    layer_types,
    only_layer_types,
)
from smiley_checks.inspection.submission import (
    MAX_PARAMS,
    NothingHandedIn,
    accept,
    as_builder,
    as_model,
    hints,
    is_compiled,
    validate,
)

__all__ = [
    "MAX_PARAMS", "Comparison", "Edit", "LayerDescription", "ModelDescription", "NothingHandedIn",
    "accept", "as_builder", "as_model", "compare", "count_layers", "count_of", "describe",
    "differs_from_original_only_by", "edit_distance", "edit_distance_to_original", "edits_from_original",
    "ends_in_classes", "format_table", "has_no_layers_of", "hints", "input_is", "is_compiled",
    "layer_types", "only_layer_types", "original_description", "validate",
]
