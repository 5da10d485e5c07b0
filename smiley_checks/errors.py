"""Expected failures, each carrying one sentence meant for a student or teacher.

Code that meets bad input raises one of these; the CLI and the notebook
checks print `str(error)` and never a traceback.
"""


class SmileyChecksError(Exception):
    """Base class: the message is the whole story, shown as is."""

    exit_code = 2


class DataError(SmileyChecksError):
    """A data file or folder is missing, unreadable or not what we expect."""


class SubmissionError(SmileyChecksError):
    """What the student handed in cannot be inspected or trained."""


class UsageError(SmileyChecksError):
    """A command-line argument points at something that does not work."""
