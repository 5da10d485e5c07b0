"""The Dask cluster a class run grades on (cluster.py): who may connect to it, a scheduler that
cannot be reached, and `smiley-checks grade --scheduler` on `dask scheduler` and `dask worker`
started as processes of their own on 127.0.0.1, grading a small real class; then two courses in one
command on its own LocalCluster."""

import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expected_scores import EXPECTED


def test_the_local_cluster_takes_no_client_without_the_runs_certificate():
    """On a shared server any user can open a port on 127.0.0.1, and a Dask client runs any code on the
    workers (with the teacher's rights). The run's cluster speaks TLS with a certificate made for it."""
    from distributed import Client, LocalCluster

    from smiley_grader.classgrading.cluster import local_cluster, quiet_dask

    with quiet_dask():
        # Without the defence: a plain cluster on 127.0.0.1 lets a stranger's client run code on its worker.
        open_cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address=None)  # no security: Dask's default
        try:
            with Client(open_cluster.scheduler_address, timeout=10, set_as_default=False) as stranger:
                assert list(stranger.run(os.getpid).values()) != [os.getpid()]  # ran in the worker
        finally:
            open_cluster.close()
        cluster = local_cluster(1)
        try:
            address = cluster.scheduler_address
            assert address.startswith("tls://127.0.0.1:")
            for attempt in (address, address.replace("tls://", "tcp://")):
                with pytest.raises((OSError, TimeoutError, TypeError, ValueError)):
                    Client(attempt, timeout=3, set_as_default=False)
            # A Client that failed to start is closed by its __del__; if the garbage collector runs that
            # while the next Client starts its event loop, the two wait for each other for ever (seen
            # once on 2026-12-05: this test hung for 15 minutes). Collect the failed ones now.
            gc.collect()
            with Client(cluster, set_as_default=False) as own:  # the run itself holds the certificate
                assert own.submit(sum, [1, 2], pure=False).result(timeout=30) == 3
        finally:
            cluster.close()


def test_a_scheduler_that_cannot_be_reached_is_one_sentence(tmp_path, capsys, english):
    from smiley_checks.cli import main

    (tmp_path / "nbgrader_config.py").write_text("")
    (tmp_path / "submitted" / "ada" / "layers").mkdir(parents=True)
    started = time.monotonic()
    assert main(["grade", "layers", "--course", str(tmp_path), "--unsandboxed", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("smiley-checks: Cannot reach the Dask scheduler at tcp://127.0.0.1:9: ") and "--scheduler" in err
    assert time.monotonic() - started < 60


class Started:
    """A `dask scheduler` and a `dask worker` as processes of their own (in process groups of their own)."""

    def __init__(self, folder: Path, sandbox_preload: bool = True):
        self.scheduler_file = folder / "scheduler.json"
        self.log = (folder / "dask.log").open("w")
        common = dict(stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                      cwd=folder)
        self.processes = [subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(self.scheduler_file)], **common)]
        deadline = time.monotonic() + 60
        while not self.scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        # As docs/grading.md says to start a worker: with the preload that offers the sandbox where it works.
        preload = ["--preload", "smiley_grader.classgrading.sandbox_worker"] if sandbox_preload else []
        self.processes.append(subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", "--scheduler-file", str(self.scheduler_file), "--nthreads", "1",
             "--nworkers", "1", "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(folder / "worker"),
             *preload], **common))
        self.address = json.loads(self.scheduler_file.read_text())["address"]

    def worker_addresses(self) -> list[str]:
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=60)
            return list(client.scheduler_info()["workers"])

    def close(self):
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            except ProcessLookupError:
                pass
        self.log.close()


@pytest.mark.slow
def test_grade_on_an_existing_scheduler_and_on_its_own_local_cluster(tmp_path):
    from smiley_grader.classgrading.database import db_url, grades
    from smiley_grader.classgrading.example import collected_class

    course, students = collected_class(tmp_path / "course", "layers", students=["ada", "dirk"])
    env = {**os.environ, "HOME": str(course.home("teacher")), "SMILEY_CHECKS_LANG": "en"}
    command = [str(Path(sys.executable).parent / "smiley-checks"), "grade", "layers", "--course", str(course.root)]
    dask = Started(tmp_path)
    try:
        workers = dask.worker_addresses()
        done = subprocess.run([*command, "--scheduler", dask.address], env=env, capture_output=True, text=True,
                              timeout=900)
    finally:
        dask.close()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""  # no Dask warning or traceback reaches the teacher
    finished = [line for line in done.stdout.splitlines() if " | graded " in line]
    assert sorted(line.split(":")[0] for line in finished) == students
    state = json.loads((course.root / "classgrading" / "layers.json").read_text())["students"]
    assert {s: (e["status"], e["worker"]) for s, e in state.items()} == {s: ("graded", workers[0]) for s in students}
    scores = {(g.student, g.task): g.score for g in grades(db_url(course.root), "layers")}
    assert {(s, t): v for s in students for t, v in EXPECTED["layers"][s].items()} == \
        {k: v for k, v in scores.items() if k[0] in students}

    # The same class on the LocalCluster that `grade` starts by default: the same scores, just as quiet;
    # in the same command a second course (its folder also called "course"), into its own gradebook.
    for path in (course.root / "autograded").rglob("*.ipynb"):
        path.unlink()
    other, _ = collected_class(tmp_path / "3b", "layers", students=["kim"])
    done = subprocess.run([*command, "--course", str(other.root), "--workers", "2", "--force"], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0 and done.stderr == "", done.stdout + done.stderr
    finished = sorted(line.split(":")[0] for line in done.stdout.splitlines() if " | graded " in line)
    assert finished == ["3b/course/layers/kim", "course/course/layers/ada", "course/course/layers/dirk"]
    assert {"3b/course/layers:", "course/course/layers:"} <= set(done.stdout.splitlines())
    state = json.loads((course.root / "classgrading" / "layers.json").read_text())["students"]
    assert all(e["status"] == "graded" and e["worker"].startswith("tls://127.0.0.1:") for e in state.values())
    assert {(g.student, g.task): g.score for g in grades(db_url(course.root), "layers")} == scores
    assert {(g.student, g.task): g.score for g in grades(db_url(other.root), "layers")} == {
        ("kim", t): v for t, v in EXPECTED["layers"]["kim"].items()}
    for root, count in ((course.root, 2), (other.root, 1)):
        assert (root / "classgrading" / "layers" / "grades.csv").read_text().count("layers,") == count
        assert (root / "classgrading" / "layers" / "report.html").exists()


CHILD = """
import json, sys
from smiley_grader.cache_handover import receive
from smiley_checks.training.verdict_cache import SeedResult
cache = receive()
if sys.argv[1] == "put":
    cache.put(b"the same network", SeedResult(0.93, 12.5, 4))
found = cache.get(b"the same network")
print(json.dumps(None if found is None else [found.accuracy, found.seconds, found.epochs]))
"""


def test_the_runs_verdict_cache_is_shared_by_nbgrader_processes_on_two_dask_workers(tmp_path):
    """What pool.py does: the cache goes to each worker with its task, and on to the autograde's process
    through a pipe; what one student's judge trained, a classmate's on the other worker reads."""
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret
    from smiley_grader.classgrading.cluster import dask_client

    cache = VerdictCache(tmp_path / "verdicts", new_secret())

    def on_worker(action):
        from distributed import get_worker

        from smiley_grader.classgrading.worker import run_once

        attempt = run_once([sys.executable, "-c", CHILD, action], tmp_path, {"PATH": "/usr/bin:/bin"},
                           tmp_path / f"{action}.log", 60, handover=cache.handover())
        return get_worker().address, os.getpid(), attempt.output.strip().splitlines()[-1]

    with dask_client(2) as client:
        first, second = list(client.scheduler_info()["workers"])
        put = client.submit(on_worker, "put", workers=[first], pure=False).result(timeout=120)
        got = client.submit(on_worker, "get", workers=[second], pure=False).result(timeout=120)
    assert (put[0], got[0]) == (first, second) and put[1] != got[1] != os.getpid()
    assert json.loads(put[2]) == json.loads(got[2]) == [0.93, 12.5, 4]
    assert len(list((tmp_path / "verdicts").glob("*.json"))) == 1


def test_the_local_cluster_shows_no_page_of_the_class_to_other_users():
    """Dask's scheduler always starts an HTTP server (by default on port 8787, with pages listing its
    tasks: the students' names). Ours answers /health only, on a port of its own."""
    import urllib.error
    import urllib.request

    from smiley_grader.classgrading.cluster import local_cluster, quiet_dask

    from distributed import LocalCluster

    pages = ("/info/main/workers.html", "/json/counts.json")
    with quiet_dask():
        plain = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
        try:  # Dask's default: the pages are there for anyone on the machine
            port = plain.scheduler.http_server.port
            assert all(urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10).status == 200
                       for page in pages)
        finally:
            plain.close()
        cluster = local_cluster(1)
        try:
            port = cluster.scheduler.http_server.port
            assert port != 8787
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10).read() == b"ok"
            for page in pages:
                with pytest.raises(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10)
        finally:
            cluster.close()


def test_a_worker_started_without_the_sandbox_preload_gets_no_student(tmp_path, english):
    """A teacher who forgot `--preload` (or whose worker machine cannot run bubblewrap): one sentence, nobody
    graded, no student's code run on that worker."""
    from smiley_grader.classgrading.example import collected_class

    course, students = collected_class(tmp_path / "course", "layers", students=["ada"])
    env = {**os.environ, "HOME": str(course.home("teacher")), "SMILEY_CHECKS_LANG": "en"}
    dask = Started(tmp_path, sandbox_preload=False)
    try:
        dask.worker_addresses()
        done = subprocess.run([str(Path(sys.executable).parent / "smiley-checks"), "grade", "layers", "--course",
                               str(course.root), "--scheduler", dask.address], env=env, capture_output=True,
                              text=True, timeout=300)
    finally:
        dask.close()
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "has no worker with a working sandbox (workers found: 1)" in done.stderr and "--preload smiley_grader.classgrading." in done.stderr
    assert not list((course.root / "autograded").glob("*/layers/*.ipynb"))
