"""The grader's verbs of the `smiley-checks` command (`grade`, `demo`, `course`).

`smiley-checks` (in the student package) finds them through the entry points of
grader/pyproject.toml when this package is installed; `smiley-grader` runs the same
command.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from smiley_checks.cli import main as checks_main

    return checks_main(argv)
