"""The example class's notebooks are what make_submissions.py makes of today's release/."""

import importlib.util
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def load_maker():
    spec = importlib.util.spec_from_file_location("make_submissions", HERE / "make_submissions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cells(nb):
    return [(cell.cell_type, cell.source, cell.metadata.get("nbgrader")) for cell in nb.cells]


def test_submissions_are_up_to_date():
    maker = load_maker()
    built = maker.build()
    on_disk = sorted(p.relative_to(maker.OUT) for p in maker.OUT.glob("*/*.ipynb"))
    assert on_disk == sorted(maker.path_of(s, a).relative_to(maker.OUT) for s, a in built)
    for (student, assignment), nb in built.items():
        stored = nbformat.read(maker.path_of(student, assignment), as_version=4)
        assert cells(stored) == cells(nb), f"{student}/{assignment}: run .venv/bin/python tests/nbgrader/make_submissions.py"


def test_the_expected_scores_cover_every_submission_and_every_task():
    from expected_scores import EXPECTED

    from smiley_checks.tasks import ASSIGNMENTS

    maker = load_maker()
    for (student, assignment) in maker.build():
        row = EXPECTED[assignment][student]
        assert set(ASSIGNMENTS[assignment]) <= set(row)
    for assignment, rows in EXPECTED.items():
        for task in ASSIGNMENTS[assignment]:
            assert any(row[task] == 0 for row in rows.values()), f"no submission is wrong in {task}"
