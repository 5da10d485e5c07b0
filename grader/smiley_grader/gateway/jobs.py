"""The gateway's jobs in flight: one per student at a time, each a Dask future of work.verdict_for.

A student who asks again while her network still trains gets one sentence, not a second job: thirty
students with a double click each would otherwise queue sixty trainings on two workers.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

FINISHED_KEPT_SECONDS = 600.0  # a fetched answer can be fetched again this long (a kernel that lost the reply)
UNFETCHED_KEPT_SECONDS = 3600.0  # an answer no kernel came for (the student closed the notebook)


def task_key(ask, lang: str) -> str:
    """The same for the same network (layer names aside, as in the verdict cache's key), seeds and language."""
    import hashlib
    import json

    from smiley_checks.training.cache_key import canonical, config_without_counters

    network = canonical(config_without_counters(json.loads(ask.model)))
    return "verdict-" + hashlib.sha256(f"{lang}\n{ask.seeds}\n{network}".encode()).hexdigest()[:40]


class Busy(Exception):
    """This student already has a job running."""


@dataclass
class Job:
    user: str
    future: object  # distributed.Future
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    key: str = ""
    shared: bool = False  # a classmate's ask made the task: every seed of the answer is her training


class Jobs:
    def __init__(self, client, cache_handover: dict):
        self.client = client
        self._cache = cache_handover
        self._jobs: dict[str, Job] = {}

    def _cache_for(self, lang: str) -> dict:
        """One cache folder per language: the doctor's pictures carry words, drawn in the asker's language."""
        return {"folder": f"{self._cache['folder']}/{lang}", "secret": self._cache["secret"]}

    def start(self, user: str, ask, lang: str = "en") -> str:
        from smiley_grader.gateway.work import verdict_for

        self._forget_old()
        if any(job.user == user and not job.future.done() for job in self._jobs.values()):
            raise Busy(user)
        job_id = secrets.token_urlsafe(16)  # unguessable: a classmate cannot fetch another's answer by number
        # Classmates who ask for the same network at the same moment share one task (Dask hands out the
        # future it holds under that key): no second worker sits waiting for the first one's training.
        key = task_key(ask, lang)
        shared = any(job.key == key for job in self._jobs.values())
        future = self.client.submit(verdict_for, ask.model, ask.seeds, self._cache_for(lang), lang, key=key, retries=0)
        self._jobs[job_id] = Job(user, future, key=key, shared=shared)
        return job_id

    def get(self, user: str, job_id: str) -> Job | None:
        """The job, only for the student who asked for it."""
        job = self._jobs.get(job_id)
        return job if job is not None and job.user == user else None

    def ahead_of(self, job_id: str) -> int:
        """How many jobs were asked before this one and are not finished: the wait a student sees."""
        job = self._jobs[job_id]
        return sum(1 for other in self._jobs.values() if other.started < job.started and not other.future.done())

    def mark_fetched(self, job_id: str) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.finished is None:
            job.finished = time.monotonic()

    def _forget_old(self) -> None:
        """Dask keeps a result while its future is held: let go of answers fetched long ago, or never fetched."""
        now = time.monotonic()
        for job_id, job in list(self._jobs.items()):
            fetched_long_ago = job.finished is not None and now - job.finished > FINISHED_KEPT_SECONDS
            if fetched_long_ago or (job.future.done() and now - job.started > UNFETCHED_KEPT_SECONDS):
                del self._jobs[job_id]
