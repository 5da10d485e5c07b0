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


def local_cluster(workers: int):
    """No dashboard, and the HTTP server Dask starts anyway answers only /health on a free port of
    127.0.0.1: its pages would show the class's names to any user of the machine, without TLS."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.http.routes": HTTP_ROUTES, "distributed.worker.http.routes": HTTP_ROUTES}):
        return LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True, host="127.0.0.1",
                            memory_limit=WORKER_MEMORY, dashboard_address=None, security=True,
                            silence_logs=logging.CRITICAL,
                            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})


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
def dask_client(workers: int, scheduler: str | None = None):
    """A Client for one class run; the client (and the LocalCluster, when we made it) close however the run ends."""
    from distributed import Client

    with quiet_dask():
        if scheduler:
            client = connect(scheduler)
            try:
                yield client
            finally:
                client.close()
            return
        cluster = local_cluster(workers)
        try:
            client = Client(cluster, set_as_default=False)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()


def worker_slots(client) -> int:
    """How many students the cluster grades at once: its workers' threads."""
    workers = client.scheduler_info().get("workers", {})
    return max(1, sum(int(info.get("nthreads", 1)) for info in workers.values()))
