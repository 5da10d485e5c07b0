"""Dask workers take grading jobs only where the sandbox works.

    dask worker tls://server:8786 --preload smiley_grader.classgrading.sandbox_worker ...

At its start a worker with this preload tries the sandbox (sandbox.problem()); where it works,
the worker offers the resource RESOURCE, which every sandboxed grading task asks for (pool.py).
A worker without it (no bubblewrap, user namespaces off, the preload forgotten) gets no grading
job, so no student's code runs there with the worker's rights; a class run whose cluster has no
such worker stops with one sentence. The LocalCluster of `smiley-checks grade` uses it too.
"""

from __future__ import annotations

RESOURCE = "smiley-sandbox"
MODULE = __name__


def dask_setup(worker) -> None:
    from smiley_grader.sandbox import problem

    # Set before the worker registers (preloads start first), so the scheduler learns it with the worker.
    if problem() is None:
        worker.state.total_resources[RESOURCE] = 1
        worker.state.available_resources[RESOURCE] = 1


def sandbox_workers(client) -> list[str]:
    """The cluster's workers that offer the sandbox."""
    workers = client.scheduler_info().get("workers", {})
    return [address for address, info in workers.items() if (info.get("resources") or {}).get(RESOURCE, 0) >= 1]
