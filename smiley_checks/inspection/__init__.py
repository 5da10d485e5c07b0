"""Read a student's Keras model: describe it and compare it with the original.

Importing this package does not import TensorFlow; the functions do, when called.
"""

from smiley_checks.inspection.compare import Comparison, Edit, compare, edit_distance, original_description
from smiley_checks.inspection.describe import LayerDescription, ModelDescription, describe, format_table
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
    "accept", "as_builder", "as_model", "compare", "describe", "edit_distance", "format_table", "hints",
    "is_compiled", "original_description", "validate",
]
