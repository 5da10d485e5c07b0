"""Only workers whose sandbox works take students (sandbox_worker.py, pool.py); a cluster without one
stops the run with one sentence before any student is handed out."""

import sys
from types import SimpleNamespace

import pytest

from smiley_grader.classgrading import cluster, pool, sandbox_worker, worker
from smiley_grader.classgrading.sandbox_worker import RESOURCE


def fake_worker():
    return SimpleNamespace(state=SimpleNamespace(total_resources={}, available_resources={}))


def test_a_worker_offers_the_sandbox_only_where_it_works(monkeypatch):
    import smiley_grader.sandbox as sandbox

    monkeypatch.setattr(sandbox, "problem", lambda: None)
    works = fake_worker()
    sandbox_worker.dask_setup(works)
    assert works.state.total_resources == {RESOURCE: 1} == works.state.available_resources

    monkeypatch.setattr(sandbox, "problem", lambda: "bwrap: setting up uid map: Permission denied")
    broken = fake_worker()
    sandbox_worker.dask_setup(broken)
    assert broken.state.total_resources == {} == broken.state.available_resources


@pytest.fixture
def threaded(monkeypatch):
    """A LocalCluster of threads whose workers offer `resources`, as `smiley-checks grade` would start."""
    from distributed import LocalCluster

    made, offer = [], {}

    def local(workers):
        made.append(LocalCluster(n_workers=workers, threads_per_worker=1, processes=False, dashboard_address=None,
                                 resources=dict(offer)))
        return made[-1]

    monkeypatch.setattr(cluster, "local_cluster", local)
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 2)
    yield offer
    assert all(c.status.name == "closed" for c in made)


def one_student(tmp_path, monkeypatch):
    (tmp_path / "submitted" / "ada" / "layers").mkdir(parents=True)
    submitted = []
    real_submit = __import__("distributed").Client.submit

    def submit(self, function, *args, **kwargs):
        submitted.append(kwargs.get("resources"))
        return real_submit(self, function, *args, **kwargs)

    monkeypatch.setattr("distributed.Client.submit", submit)
    monkeypatch.setattr(worker, "autograde_command", lambda *a, **k: [sys.executable, "-c", "pass"])
    monkeypatch.setattr(worker, "notebook_notes", lambda *a: [], raising=False)
    return submitted


def test_students_go_only_to_workers_that_offer_the_sandbox(tmp_path, monkeypatch, threaded, english):
    submitted = one_student(tmp_path, monkeypatch)
    threaded[RESOURCE] = 1
    results = pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=1, cache=False, stream=open("/dev/null", "w"))
    assert results["ada"].status == "graded" and submitted == [{RESOURCE: 1}]


def test_a_cluster_without_a_working_sandbox_grades_nobody_and_says_why(tmp_path, monkeypatch, threaded, english):
    from smiley_checks.errors import SmileyChecksError

    submitted = one_student(tmp_path, monkeypatch)
    with pytest.raises(SmileyChecksError) as refused:
        pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=1, cache=False)
    message = str(refused.value)
    assert "\n" not in message and "has no worker with a working sandbox (workers found: 1)" in message and "--preload smiley_grader." in message
    assert submitted == []
    # --unsandboxed (the teacher's choice): any worker takes the student.
    results = pool.grade_all(tmp_path, "layers", "sqlite:///x", workers=1, cache=False, sandbox=False,
                             stream=open("/dev/null", "w"))
    assert results["ada"].status == "graded" and submitted == [None]
