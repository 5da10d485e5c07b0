"""The grader's verbs of the `smiley-checks` command (`grade`, `demo`, `course`).

`smiley-checks` (in the student package) finds them here when this package is
installed; `smiley-grader` runs the same verbs directly.
"""

from __future__ import annotations

VERBS = {"grade": "smiley_grader.cli.grade", "demo": "smiley_grader.cli.demo", "course": "smiley_grader.cli.course"}


def main(argv: list[str] | None = None) -> int:
    from smiley_checks.cli import main as checks_main

    return checks_main(argv)
