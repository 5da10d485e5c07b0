"""The gateway's HTTP side, with a stand-in for Dask: who may ask, what a student may see, one job each."""

import pytest

from smiley_checks.messages import say
from smiley_grader.gateway.jobs import Jobs
from smiley_grader.gateway.service import Gateway, application
from tests.grader.gateway.conftest import call

TOKENS = {"token-of-an": "an", "token-of-bo": "bo"}


class Future:
    def __init__(self, result=None, status="pending"):
        self.status, self._result = status, result

    def done(self):
        return self.status != "pending"

    def result(self):
        return self._result


class Client:
    """Records what would go to the cluster; its futures finish when the test says so."""

    def __init__(self):
        self.submitted = []

    def submit(self, function, *args, **kwargs):
        future = Future()
        self.submitted.append((function.__name__, args, kwargs, future))
        return future


@pytest.fixture
def gateway(serve, english):
    async def who(token):
        return TOKENS.get(token)

    client = Client()
    url = serve(application(Gateway(who, Jobs(client, {"folder": "/nowhere", "secret": "00"})), prefix="/services/smiley/"))
    return url + "services/smiley/", client


@pytest.fixture(scope="module")
def network(keras):
    from smiley_checks.network import IMAGE_SHAPE

    model = keras.Sequential([keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    return model.to_json()


def test_without_a_token_the_gateway_says_who_it_does_not_know(gateway, network):
    url, client = gateway
    assert call(url + "verdicts", None, {"model": network}) == (403, {"refused": say("gateway.who")})
    assert call(url + "verdicts", "a-guess", {"model": network}) == (403, {"refused": say("gateway.who")})
    assert client.submitted == []


def test_a_checked_network_becomes_one_job_of_the_fixed_function(gateway, network):
    url, client = gateway
    status, answer = call(url + "verdicts", "token-of-an", {"model": network, "seeds": 3})
    assert status == 202 and len(answer["job"]) >= 20
    [(function, args, kwargs, _)] = client.submitted
    assert function == "verdict_for" and args[1] == 3 and kwargs["key"].startswith("verdict-")
    assert '"compile_config"' not in args[0]


def test_a_refused_network_never_reaches_the_cluster(gateway, network):
    url, client = gateway
    status, answer = call(url + "verdicts", "token-of-an", {"model": network.replace('"Dense"', '"Lambda"')})
    assert status == 400 and "Lambda" in answer["refused"]
    assert client.submitted == []


def test_a_student_waits_for_her_job_then_gets_its_answer_once_it_is_done(gateway, network):
    url, client = gateway
    job = call(url + "verdicts", "token-of-an", {"model": network})[1]["job"]
    assert call(url + f"verdicts/{job}", "token-of-an") == (200, {"state": "waiting", "ahead": 0})
    future = client.submitted[0][3]
    future.status, future._result = "finished", {"verdict": {"verdict": "reliable"}}
    assert call(url + f"verdicts/{job}", "token-of-an") == (200, {"state": "done", "verdict": {"verdict": "reliable"}})


def test_a_classmate_cannot_see_anothers_job_even_with_its_number(gateway, network):
    url, client = gateway
    job = call(url + "verdicts", "token-of-an", {"model": network})[1]["job"]
    assert call(url + f"verdicts/{job}", "token-of-bo") == (404, {"refused": say("gateway.no_such_job")})


def test_one_job_per_student_at_a_time_and_the_queue_counts_the_others(gateway, network):
    url, client = gateway
    first = call(url + "verdicts", "token-of-an", {"model": network})[1]["job"]
    assert call(url + "verdicts", "token-of-an", {"model": network}) == (429, {"refused": say("gateway.busy")})
    second = call(url + "verdicts", "token-of-bo", {"model": network})[1]["job"]
    assert call(url + f"verdicts/{second}", "token-of-bo")[1] == {"state": "waiting", "ahead": 1}
    client.submitted[0][3].status = "finished"
    client.submitted[0][3]._result = {"refused": "too big"}
    assert call(url + f"verdicts/{first}", "token-of-an")[1] == {"state": "done", "refused": "too big"}
    assert call(url + f"verdicts/{second}", "token-of-bo")[1] == {"state": "waiting", "ahead": 0}
    assert call(url + "verdicts", "token-of-an", {"model": network})[0] == 202  # her first job is done


def test_a_job_whose_worker_died_gets_one_sentence(gateway, network):
    url, client = gateway
    job = call(url + "verdicts", "token-of-an", {"model": network})[1]["job"]
    client.submitted[0][3].status = "error"
    assert call(url + f"verdicts/{job}", "token-of-an") == (200, {"state": "done", "refused": say("gateway.worker_lost")})


def test_only_the_gateways_own_paths_answer(gateway):
    url, _ = gateway
    assert call(url + "verdicts/../../etc", "token-of-an")[0] == 404


def test_a_dutch_notebook_gets_dutch_sentences_and_its_pictures_from_a_cache_of_its_own(gateway, network):
    from smiley_checks.messages import language

    url, client = gateway
    assert call(url + "verdicts", "a-guess", {"model": network}, lang="nl")[1] == {"refused": say("gateway.who", "nl")}
    status, answer = call(url + "verdicts", "token-of-an", {"model": network.replace('"Dense"', '"Lambda"')}, lang="nl")
    assert status == 400 and answer["refused"].startswith(say("assign.model.not_allowed", "nl", what="")[:12])
    assert language() == "en"  # the service's own language is back after the request
    call(url + "verdicts", "token-of-an", {"model": network}, lang="nl")
    call(url + "verdicts", "token-of-bo", {"model": network}, lang="en")
    (_, dutch, _, _), (_, english, _, _) = client.submitted
    assert dutch[3] == "nl" and dutch[2]["folder"].endswith("/nl") and english[2]["folder"].endswith("/en")
    assert dutch[2]["secret"] == english[2]["secret"]


def test_classmates_asking_for_the_same_network_share_one_task_whatever_keras_named_its_layers(gateway, keras):
    from smiley_checks.network import IMAGE_SHAPE

    url, client = gateway

    def network(units=2):  # each call numbers its layers anew (dense_3, dense_4, ...)
        layers = [keras.Input(IMAGE_SHAPE), keras.layers.Flatten(), keras.layers.Dense(units, activation="softmax")]
        return keras.Sequential(layers).to_json()

    first, second = network(), network()
    assert first != second
    call(url + "verdicts", "token-of-an", {"model": first})
    call(url + "verdicts", "token-of-bo", {"model": second})
    call(url + "verdicts", "token-of-bo", {"model": second, "seeds": 2})  # busy: bo's first job still runs
    keys = [kwargs["key"] for _, _, kwargs, _ in client.submitted]
    assert len(keys) == 2 and keys[0] == keys[1]
    client.submitted[1][3].status = "finished"
    call(url + "verdicts", "token-of-bo", {"model": second, "seeds": 2})
    client.submitted[2][3].status = "finished"
    call(url + "verdicts", "token-of-bo", {"model": network(3)})
    keys = [kwargs["key"] for _, _, kwargs, _ in client.submitted]
    assert len(keys) == 4 and len(set(keys)) == 3  # other seeds, another network: tasks of their own


def test_the_classmate_who_shares_a_task_is_told_it_was_trained_for_someone_else(gateway, network):
    url, client = gateway
    first = call(url + "verdicts", "token-of-an", {"model": network})[1]["job"]
    second = call(url + "verdicts", "token-of-bo", {"model": network})[1]["job"]
    for _, _, _, future in client.submitted:  # the stand-in makes two futures; Dask would give one
        future.status, future._result = "finished", {"verdict": {"seeds": [0, 1], "reused": 0}}
    assert call(url + f"verdicts/{first}", "token-of-an")[1]["verdict"]["reused"] == 0
    assert call(url + f"verdicts/{second}", "token-of-bo")[1]["verdict"]["reused"] == 2
