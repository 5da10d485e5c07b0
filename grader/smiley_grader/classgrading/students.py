"""Who handed in (was collected) and who is graded already."""

from __future__ import annotations

from pathlib import Path


def collected(course_root: Path, assignment: str) -> list[str]:
    """Students with a collected submission: submitted/<student>/<assignment>/."""
    folder = Path(course_root) / "submitted"
    return sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir())


def autograded_notebooks(course_root: Path, student: str, assignment: str) -> list[Path]:
    return sorted((Path(course_root) / "autograded" / student / assignment).glob("*.ipynb"))
