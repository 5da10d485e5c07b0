"""The whole path on a real cluster: a notebook's show_verdict, through the gateway, trained by a Dask worker.

One LocalCluster of one worker for the module. The verdict must be the one the kernel would have
trained itself (training is deterministic), and a classmate asking for the same network gets it
from the gateway's cache without training again.
"""

import pytest

from smiley_checks.messages import say
from smiley_checks.training.remote import GATEWAY_VARIABLE, remote_verdict

pytestmark = pytest.mark.slow
SEEDS = 2


@pytest.fixture(scope="module")
def cluster_client():
    from distributed import Client

    from smiley_grader.classgrading.cluster import quiet_dask
    from smiley_grader.gateway.service import training_cluster

    with quiet_dask():
        cluster = training_cluster(1)
        client = Client(cluster, set_as_default=False)
        yield client
        client.close()
        cluster.close()


@pytest.fixture
def gateway(serve, cluster_client, tmp_path, english):
    from smiley_checks.training.verdict_cache import VerdictCache, new_secret
    from smiley_grader.gateway.jobs import Jobs
    from smiley_grader.gateway.service import Gateway, application

    async def who(token):
        return {"token-of-an": "an", "token-of-bo": "bo"}.get(token)

    cache = VerdictCache(tmp_path / "verdicts", new_secret())
    return serve(application(Gateway(who, Jobs(cluster_client, cache.handover()))))


@pytest.fixture(scope="module")
def small_network(keras):
    from smiley_checks.network import IMAGE_SHAPE, compile_like_lesson

    model = keras.Sequential([keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    compile_like_lesson(model)
    return model


def test_the_cluster_gives_the_verdict_the_kernel_would_train_and_a_classmate_gets_it_at_once(
        gateway, small_network, capsys, monkeypatch):
    from smiley_checks.notebook import show_verdict
    from smiley_checks.training.reliability import reliability

    waits = []
    first = remote_verdict(small_network, SEEDS, gateway, "token-of-an", sleep=waits.append)
    here = reliability(small_network, seeds=SEEDS, diagnose=True)
    assert first.accuracies == here.accuracies and first.verdict == here.verdict
    assert first.findings_per_seed == here.findings_per_seed and first.reused == 0
    assert waits, "a training takes longer than one poll: the kernel waited"

    monkeypatch.setenv(GATEWAY_VARIABLE, gateway)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-bo")
    capsys.readouterr()
    second = show_verdict(lambda: small_network, seeds=SEEDS)
    shown = capsys.readouterr().out
    assert second.reused == SEEDS and second.accuracies == first.accuracies
    assert say("remote.trained_before") in shown and "Verdict:" in shown


def test_a_network_outside_the_lesson_gets_the_sentence_in_the_notebook(gateway, monkeypatch, capsys, keras):
    from smiley_checks.network import IMAGE_SHAPE
    from smiley_checks.notebook import show_verdict

    monkeypatch.setenv(GATEWAY_VARIABLE, gateway)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-an")
    odd = keras.Sequential([keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax"),
                            keras.layers.Lambda(lambda x: x * 2)])
    assert show_verdict(lambda: odd, seeds=1) is None
    assert "Lambda" in capsys.readouterr().out


def test_the_teachers_fill_trains_the_notebooks_networks_so_a_student_gets_them_at_once(
        gateway, tmp_path, monkeypatch, capsys, keras):
    from smiley_checks.notebook import show_verdict
    from smiley_grader.gateway.fill import fill

    # A notebook in Dutch with one small network that show_verdict is called on.
    notebook = {"cells": [{"cell_type": "code", "source": ['set_language("nl")\n']},
                          {"cell_type": "code", "source": [
                              "def build_small():\n",
                              "    model = keras.Sequential([keras.layers.InputLayer(shape=(110, 110, 1)),\n",
                              "                              keras.layers.Flatten(), keras.layers.Dense(2, activation='softmax')])\n",
                              "    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n",
                              "    return model\n"]},
                          {"cell_type": "code", "source": ["show_verdict(build_small)\n"]}]}
    path = tmp_path / "klein.ipynb"
    path.write_text(__import__("json").dumps(notebook))
    lines = []
    assert fill([path], gateway, "token-of-an", say_line=lines.append) == 1
    assert lines and "build_small" in lines[0] and "0 of 5" in lines[0]

    from smiley_checks.messages import set_language

    set_language("nl")
    monkeypatch.setenv(GATEWAY_VARIABLE, gateway)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "token-of-bo")
    model = keras.Sequential([keras.layers.InputLayer(shape=(110, 110, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    capsys.readouterr()
    verdict = show_verdict(lambda: model, seeds=SEEDS)
    assert verdict.reused == SEEDS
    assert say("remote.trained_before", "nl") in capsys.readouterr().out

