"""A gateway served on a free port of 127.0.0.1 in a thread of the test process."""

import asyncio
import json
import threading
import urllib.error
import urllib.request

import pytest


@pytest.fixture
def serve():
    """serve(app) -> the base URL; the server stops after the test."""
    started = []

    def start(app) -> str:
        ready = threading.Event()
        box = {}

        def run():
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            from tornado.httpserver import HTTPServer
            from tornado.netutil import bind_sockets

            sockets = bind_sockets(0, "127.0.0.1")
            server = HTTPServer(app)
            server.add_sockets(sockets)
            box.update(loop=loop, server=server, port=sockets[0].getsockname()[1])
            ready.set()
            loop.run_forever()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        ready.wait(10)
        started.append((box, thread))
        return f"http://127.0.0.1:{box['port']}/"

    yield start
    for box, thread in started:
        box["loop"].call_soon_threadsafe(box["loop"].stop)
        thread.join(10)


def call(url: str, token: str | None = None, body: dict | bytes | None = None, lang: str | None = None) -> tuple[int, dict]:
    """(HTTP status, JSON answer) of one request."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    headers = {"Authorization": f"token {token}"} if token else {}
    if lang:
        headers["Accept-Language"] = lang
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
