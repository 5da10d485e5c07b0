"""The kernel's side of the training gateway: what goes wrong on the way is one sentence.
(The whole path, with a real gateway and cluster: tests/grader/gateway/test_gateway_cluster.py.)"""

import pytest

from smiley_checks.messages import say
from smiley_checks.training.remote import GATEWAY_VARIABLE, gateway


def test_a_kernel_trains_on_a_server_only_when_it_has_an_address_and_a_token(monkeypatch):
    for name in (GATEWAY_VARIABLE, "SMILEY_TRAINING_TOKEN", "JUPYTERHUB_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert gateway() is None
    monkeypatch.setenv(GATEWAY_VARIABLE, "http://127.0.0.1:8642/services/smiley-gateway")
    assert gateway() is None  # no token: it trains in its own process
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "hub-token")
    assert gateway() == ("http://127.0.0.1:8642/services/smiley-gateway/", "hub-token")
    monkeypatch.setenv("SMILEY_TRAINING_TOKEN", "own-token")
    assert gateway()[1] == "own-token"


@pytest.fixture(scope="module")
def small_network(keras):
    from smiley_checks.network import IMAGE_SHAPE, compile_like_lesson

    model = keras.Sequential([keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    compile_like_lesson(model)
    return model


def test_a_kernel_whose_server_is_gone_gets_one_sentence(monkeypatch, capsys, small_network, english):
    from smiley_checks.notebook import show_verdict

    monkeypatch.setenv(GATEWAY_VARIABLE, "http://127.0.0.1:9/")  # the discard port: nothing listens
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-an")
    assert show_verdict(lambda: small_network, seeds=1) is None
    assert capsys.readouterr().out.strip() == say("remote.unreachable")


def test_a_body_the_server_will_not_read_is_one_sentence_not_a_traceback(english):
    # The gateway's tornado refuses a body past its limit and closes the connection (max_body_size).
    import socket
    import threading

    from smiley_checks.errors import SmileyChecksError
    from smiley_checks.training.remote import _ask

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def refuse():
        connection, _ = server.accept()
        connection.recv(1024)
        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\n\r\n")
        connection.close()

    threading.Thread(target=refuse, daemon=True).start()
    with pytest.raises(SmileyChecksError) as said:
        _ask(f"http://127.0.0.1:{server.getsockname()[1]}/verdicts", "token", b"x" * 1000)
    assert str(said.value) == say("remote.unexpected")
    server.close()
