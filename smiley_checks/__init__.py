"""smiley_checks: self-grading exercises for the "break the model" smiley lesson.

Importing this package is cheap: TensorFlow is imported only by the modules
that train or inspect models, so the CLI's data commands start fast.
"""

__version__ = "0.1.0"
