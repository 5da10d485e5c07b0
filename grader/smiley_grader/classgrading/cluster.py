"""The Dask cluster a class run grades on: a LocalCluster of its own, or a scheduler the teacher runs.

    with dask_client(workers=2) as client:               # a LocalCluster, closed at the end
    with dask_client(2, scheduler="tls://host:8786"):   # an existing scheduler (its workers must see the course)

The LocalCluster has `workers` worker processes with one thread each: one student at a time per
worker. A worker only waits for its `nbgrader autograde` subprocess (the kernel and the judge run
in that subprocess's sandbox, limited there: limits.py), so its own memory limit is small.

It talks TLS with a certificate made for this run only (`Security.temporary()`): on a shared
server (a hub) any user can connect to a port on 127.0.0.1, and a Dask client runs any code on
the workers, with the teacher's rights. Without the run's certificate nobody can connect.

Dask's own logging is turned down to CRITICAL while a run lasts: a failing student is one line
from pool.py, never a traceback of Dask's on the teacher's terminal.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

# A student whose grading stopped this many workers (each death gives the task to another) is failed
# with one line instead of being tried again. Counted by the job table (task.py), from the attempts that
# really started: Dask's own count (allowed-failures) also blames every task merely queued on a worker
# that died, so a classmate's crashing notebook could fail an innocent student. Dask's limit is kept far
# above ours, as a last stop should the job table be out of reach.
WORKER_DEATHS = 3
DASK_ALLOWED_FAILURES = 20
WORKER_MEMORY = "1GiB"  # the Dask worker process alone (about 150 MB); the sandboxes hold the students
CONNECT_SECONDS = 10
HTTP_ROUTES = ["distributed.http.health"]
DASK_LOGGERS = ("distributed", "dask", "tornado.application", "asyncio")


@contextmanager
def quiet_dask():
    """Dask's loggers at CRITICAL for the run; the teacher's own settings come back afterwards."""
    loggers = [logging.getLogger(name) for name in DASK_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def local_cluster(workers: int, memory_limit: str = WORKER_MEMORY, allowed_failures: int = DASK_ALLOWED_FAILURES,
                  preload: tuple[str, ...] | None = None):
    """No dashboard, and the HTTP server Dask starts anyway answers only /health on a free port of
    127.0.0.1: its pages would show the class's names to any user of the machine, without TLS.
    Each grading worker tries the sandbox as it starts (sandbox_worker.py, the default `preload`), as a
    worker on another machine does; the training gateway's workers preload nothing."""
    import dask
    from distributed import LocalCluster

    from smiley_grader.classgrading.sandbox_worker import MODULE

    with dask.config.set({"distributed.scheduler.http.routes": HTTP_ROUTES, "distributed.worker.http.routes": HTTP_ROUTES}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                            memory_limit=memory_limit, dashboard_address=None, security=True,
                            silence_logs=logging.CRITICAL, preload=list(preload if preload is not None else (MODULE,)),
                            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0",
                                              "allowed_failures": allowed_failures})


def connect(scheduler: str):
    """A Client of the teacher's scheduler, or one sentence saying it cannot be reached."""
    from distributed import Client

    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say

    try:
        return Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise SmileyChecksError(say("grade.no_scheduler", address=scheduler, why=str(error).splitlines()[0][:200])) \
            from None


@contextmanager
def dask_client(workers: int, scheduler: str | None = None, sandbox: bool = False):
    """A Client for one class run; the client (and the LocalCluster, when we made it) close however the run ends.
    `sandbox`: a cluster with no worker whose sandbox works stops here with one sentence."""
    from distributed import Client

    with quiet_dask():
        if scheduler:
            client = connect(scheduler)
            try:
                if sandbox:
                    require_sandbox_workers(client, scheduler)
                yield client
            finally:
                client.close()
            return
        cluster = local_cluster(workers)
        try:
            client = Client(cluster, set_as_default=False)
            try:
                if sandbox:
                    require_sandbox_workers(client, "")
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


def require_sandbox_workers(client, address: str) -> None:
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say
    from smiley_grader.classgrading.sandbox_worker import MODULE, sandbox_workers

    try:  # workers that are still starting get a moment to register
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (TimeoutError, OSError):
        pass
    if not sandbox_workers(client):
        count = len(client.scheduler_info().get("workers", {}))
        raise SmileyChecksError(say("grade.no_sandbox_worker", address=address or "127.0.0.1", workers=count,
                                    preload=MODULE))


def worker_slots(client, sandbox: bool = False) -> int:
    """How many students the cluster grades at once: its workers' threads (with `sandbox`: of the workers
    whose sandbox works)."""
    from smiley_grader.classgrading.sandbox_worker import sandbox_workers

    workers = client.scheduler_info().get("workers", {})
    usable = set(sandbox_workers(client)) if sandbox else set(workers)
    return max(1, sum(int(info.get("nthreads", 1)) for address, info in workers.items() if address in usable))
