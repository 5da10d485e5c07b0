"""`smiley-checks gateway`: the training gateway (smiley_grader.gateway), so that students' notebooks
train on the class's Dask cluster instead of in their own kernels. On a hub it runs as a JupyterHub
service (docs/hub.md); elsewhere it takes a file of tokens."""

from __future__ import annotations

import os
from pathlib import Path


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("gateway", help="train students' networks on a Dask cluster (a hub service)")
    parser.add_argument("action", nargs="?", choices=("serve", "fill"), default="serve",
                        help="serve (default): run the gateway; fill: train the networks the NOTEBOOKS show "
                             "verdicts of on a running gateway, before the lesson")
    parser.add_argument("notebooks", nargs="*", type=Path, metavar="NOTEBOOK",
                        help="fill: the source notebooks (e.g. source/break_the_model/break_the_model.ipynb)")
    parser.add_argument("--gateway-address", dest="gateway_address", default=None, metavar="URL",
                        help="fill: the gateway (default: SMILEY_TRAINING_GATEWAY)")
    parser.add_argument("--port", type=int, default=8642, help="the port to listen on (default: 8642)")
    parser.add_argument("--address", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument("--workers", type=int, default=2, help="local training workers (default: 2)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="train on an existing Dask scheduler instead of --workers local workers")
    parser.add_argument("--state", type=Path, default=Path.home() / ".smiley-gateway",
                        help="the folder of the verdicts trained so far (default: ~/.smiley-gateway)")
    parser.add_argument("--tokens", type=Path, default=None,
                        help="without a hub: a JSON file {token: student name}")
    parser.set_defaults(run=run)


def run(args) -> int:
    if args.action == "fill":
        return run_fill(args)
    return serve(args)


def run_fill(args) -> int:
    """The teacher's terminal on the hub has her token and the gateway's address already."""
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say
    from smiley_checks.training.remote import gateway, own_token
    from smiley_grader.gateway.fill import fill

    found, token = gateway(), own_token()
    address = args.gateway_address or (found[0] if found else "")
    if not address or not token or not args.notebooks:
        raise SmileyChecksError(say("gateway.fill.nowhere"))
    count = fill(args.notebooks, address.rstrip("/") + "/", token)
    print(say("gateway.fill.done", count=count))
    return 0


def serve(args) -> int:
    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say

    who = _who(args.tokens)
    from distributed import Client
    from tornado.ioloop import IOLoop

    from smiley_checks.training.verdict_cache import VerdictCache, new_secret
    from smiley_grader.classgrading.cluster import connect, quiet_dask
    from smiley_grader.gateway.ask import MAX_BODY_BYTES
    from smiley_grader.gateway.jobs import Jobs
    from smiley_grader.gateway.service import Gateway, application, training_cluster

    args.state.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A new secret per start: a restart forgets what was trained (the entries can no longer be checked).
    cache = VerdictCache(args.state / "verdicts", new_secret())
    with quiet_dask():
        cluster = None if args.scheduler else training_cluster(args.workers)
        client = connect(args.scheduler) if args.scheduler else Client(cluster, set_as_default=False)
        try:
            app = application(Gateway(who, Jobs(client, cache.handover())),
                              prefix=os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/"))
            try:
                # Tornado reads a whole body before any handler sees it: past this size it refuses to.
                app.listen(args.port, address=args.address, max_body_size=MAX_BODY_BYTES + 4096)
            except OSError as error:
                raise SmileyChecksError(f"{args.address}:{args.port}: {error.strerror}") from None
            workers = args.scheduler or f"{args.workers} local workers"
            print(say("gateway.listening", address=args.address, port=args.port, workers=workers), flush=True)
            try:
                IOLoop.current().start()
            except KeyboardInterrupt:
                pass
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    return 0


def _who(tokens: Path | None):
    """Who a token belongs to: the hub says it, or the tokens file."""
    import json

    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.messages import say

    if tokens is None:
        if not os.environ.get("JUPYTERHUB_API_TOKEN"):
            raise SmileyChecksError(say("gateway.no_who"))
        from smiley_grader.gateway.service import hub_who

        return hub_who()
    try:
        names = json.loads(tokens.read_text())
    except (OSError, ValueError):
        names = None
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise SmileyChecksError(say("gateway.bad_tokens", path=tokens))

    async def who(token: str):
        return names.get(token)

    return who
