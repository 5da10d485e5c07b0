"""The gateway's HTTP service: POST /verdicts starts a job, GET /verdicts/<job> tells how it goes.

    smiley-checks gateway --port 8642 [--scheduler tls://...] [--workers 2] [--state DIR]

Every request carries `Authorization: token <the kernel's JUPYTERHUB_API_TOKEN>`; on a hub the hub
says whose token it is (HubAuth), and a student sees and starts only her own jobs. Answers are JSON;
anything refused is {"refused": one sentence in the course's language}.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager

from tornado import web

from smiley_checks.messages import LANGUAGES, language, say, set_language

WORKER_MEMORY = "3GiB"  # one training of the lesson's network peaks at about 1.2 GB (docs/grading.md)
# A network the workers cannot survive (a Dense layer of millions of units fills the memory, the nanny
# kills the worker): tried on two workers, then the student is told, and no third worker is lost.
ALLOWED_WORKER_DEATHS = 2


class Gateway:
    """What the handlers share: who a token belongs to, and the jobs."""

    def __init__(self, who, jobs):
        self.who = who  # async (token) -> user name or None
        self.jobs = jobs


@contextmanager
def speaking(code: str):
    """The catalogue's language for one request's sentences (the allowlist's too); the service's own after."""
    before = language()
    set_language(code)
    try:
        yield
    finally:
        set_language(before)


class _Handler(web.RequestHandler):
    def initialize(self, gateway: Gateway):
        self.gateway = gateway
        self.user = None
        # The notebook's language (Dutch or English), so that sentences and pictures come in it.
        asked = self.request.headers.get("Accept-Language", "").strip().lower()[:2]
        self.lang = asked if asked in LANGUAGES else language()

    async def prepare(self):
        header = self.request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() in ("token", "bearer") and token.strip():
            self.user = await self.gateway.who(token.strip())
        if self.user is None:
            self.reply(403, {"refused": say("gateway.who", self.lang)})

    def check_xsrf_cookie(self):
        """Token in a header, no cookies: a page in a student's browser cannot ask in her name."""

    def reply(self, status: int, data: dict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data))

    def write_error(self, status_code, **kwargs):  # never a traceback page
        self.reply(status_code, {"refused": say("gateway.failed", self.lang)})


class Verdicts(_Handler):
    def post(self):
        from smiley_grader.gateway.ask import Refused, read_ask
        from smiley_grader.gateway.jobs import Busy

        try:
            with speaking(self.lang):
                ask = read_ask(self.request.body)
        except Refused as error:
            return self.reply(400, {"refused": str(error)})
        try:
            job = self.gateway.jobs.start(self.user, ask, self.lang)
        except Busy:
            return self.reply(429, {"refused": say("gateway.busy", self.lang)})
        return self.reply(202, {"job": job})


class OneVerdict(_Handler):
    def get(self, job_id: str):
        jobs = self.gateway.jobs
        job = jobs.get(self.user, job_id)
        if job is None:
            return self.reply(404, {"refused": say("gateway.no_such_job", self.lang)})
        if job.future.status == "pending":
            return self.reply(200, {"state": "waiting", "ahead": jobs.ahead_of(job_id)})
        jobs.mark_fetched(job_id)
        if job.future.status == "finished":
            answer = job.future.result()
            if job.shared and "verdict" in answer:  # trained for a classmate's ask, not for hers
                answer = answer | {"verdict": answer["verdict"] | {"reused": len(answer["verdict"]["seeds"])}}
            return self.reply(200, {"state": "done"} | answer)
        # The worker died (KilledWorker: too big for its memory, ALLOWED_WORKER_DEATHS times) or the job was lost.
        return self.reply(200, {"state": "done", "refused": say("gateway.worker_lost", self.lang)})


class Elsewhere(web.RequestHandler):
    """Any other path: JSON too, never tornado's HTML page."""

    def prepare(self):
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"refused": say("gateway.not_an_ask")}))  # no language asked for here


def application(gateway: Gateway, prefix: str = "/") -> web.Application:
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return web.Application([(prefix + "verdicts", Verdicts, {"gateway": gateway}),
                            (prefix + r"verdicts/([A-Za-z0-9_\-]{1,64})", OneVerdict, {"gateway": gateway})],
                           default_handler_class=Elsewhere, xsrf_cookies=False, serve_traceback=False,
                           log_function=lambda handler: None)


def hub_who():
    """On a hub: the name of the user whose token it is (the hub checks the token and its scopes)."""
    from jupyterhub.services.auth import HubAuth

    auth = HubAuth()

    async def who(token: str):
        try:
            model = await auth.user_for_token(token, sync=False)
        except Exception:  # the hub is unreachable or says no: nobody, one sentence to the kernel
            logging.getLogger(__name__).warning("the hub did not confirm a token")
            return None
        return model.get("name") if isinstance(model, dict) and model.get("kind", "user") == "user" else None

    return who


def training_cluster(workers: int):
    """A LocalCluster that trains, made like the grading one (TLS with a certificate of this cluster only: any
    user of a hub can reach a port on 127.0.0.1, and a Dask client runs any code on the workers; no
    dashboard), with the memory one training needs per worker and no sandbox preload."""
    from smiley_grader.classgrading.cluster import local_cluster

    return local_cluster(workers, memory_limit=WORKER_MEMORY, allowed_failures=ALLOWED_WORKER_DEATHS - 1, preload=())
