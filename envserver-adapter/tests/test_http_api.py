"""The gym-http-api routes: upstream shapes, status codes and messages, gymlink's additions, errors, concurrency."""

from __future__ import annotations

import concurrent.futures
import json

import numpy as np
import pytest
from gym_http_oracle import Client, ServerError

from gymlink_envserver import http_codec
from gymlink_envserver.http_api import HttpServer, create_app
from gymlink_envserver.http_sessions import OpenSessions
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.registry import Allowlist


@pytest.fixture()
def table():
    table = InstanceTable(Allowlist.build(test_envs=True), max_instances=8)
    yield table
    table.close_all()


@pytest.fixture()
def api(table):
    return create_app(OpenSessions(table)).test_client()


@pytest.fixture()
def live(table):
    """A real waitress server on a free loopback port, and an upstream-style client of it."""
    server = HttpServer(create_app(OpenSessions(table)), "127.0.0.1", 0, threads=8)
    server.start()
    client = Client(f"http://127.0.0.1:{server.port}")
    yield server, client
    client.close()
    server.stop()


def create(api, env_id, **extra):
    answer = api.post("/v1/envs/", json={"env_id": env_id, **extra})
    assert answer.status_code == 200, answer.json
    return answer.json["instance_id"]


def test_upstreamFlow_cartPole_overRealSocket(live):
    server, client = live
    instance_id = client.env_create("CartPole-v1")
    socket = client.connection.sock
    assert client.env_list_all() == {instance_id: "CartPole-v1"}
    assert client.env_action_space_info(instance_id) == {"name": "Discrete", "n": 2, "start": 0}
    info = client.env_observation_space_info(instance_id)
    assert info["name"] == "Box" and info["shape"] == [4] and len(info["low"]) == 4
    assert info["high"][1] == 1e100, "infinite bounds travel as 1e100"
    observation = client.env_reset(instance_id)
    assert len(observation) == 4 and all(isinstance(x, float) for x in observation)
    done, steps = False, 0
    while not done:
        observation, reward, done, info = client.env_step(instance_id, steps % 2)
        assert reward == 1.0 and isinstance(done, bool) and isinstance(info, dict)
        steps += 1
    assert client.connection.sock is socket, "create, reset and every step went over one kept-alive connection"
    assert client.env_action_space_contains(instance_id, 1) is True
    assert client.env_action_space_contains(instance_id, 2) is False
    assert client.env_action_space_sample(instance_id) in (0, 1)
    assert client.env_observation_space_contains(instance_id, {"name": "Box", "shape": [4]}) is True
    assert client.env_observation_space_contains(instance_id, {"name": "Discrete"}) is False
    assert client.env_monitor_start(instance_id, "tmp", force=True) is None
    assert client.env_monitor_close(instance_id) is None
    assert client.env_close(instance_id) is None
    with pytest.raises(ServerError, match=f"^Instance_id {instance_id} unknown") as error:
        client.env_step(instance_id, 0)
    assert error.value.status_code == 400


def test_step_answersTerminatedAndTruncatedNextToDone(api):
    truncating = create(api, "GymlinkTest/DictObs-v0")
    api.post(f"/v1/envs/{truncating}/reset/", json=None)
    answers = [api.post(f"/v1/envs/{truncating}/step/", json={"action": 1}).json for _ in range(10)]
    assert [a["done"] for a in answers] == [False] * 9 + [True]
    assert answers[-1]["truncated"] is True and answers[-1]["terminated"] is False
    terminating = create(api, "GymlinkTest/CompositeAction-v0")
    api.post(f"/v1/envs/{terminating}/reset/")
    action = [[1, 2], [0, 1, 0, 1], {"x": [0.25, -0.5]}]
    answers = [api.post(f"/v1/envs/{terminating}/step/", json={"action": action}).json for _ in range(5)]
    assert answers[0]["observation"] == [3.0, 2.0, -0.25]
    assert answers[-1]["done"] is True and answers[-1]["terminated"] is True and answers[-1]["truncated"] is False


@pytest.mark.parametrize("where", ["create", "reset"])
def test_seedZero_isHonoured(api, where):
    def first_observation():
        instance_id = create(api, "Pendulum-v1", **({"seed": 0} if where == "create" else {}))
        body = {"seed": 0} if where == "reset" else None
        return api.post(f"/v1/envs/{instance_id}/reset/", json=body).json["observation"]

    assert first_observation() == first_observation()
    import gymnasium as gym

    expected, _ = gym.make("Pendulum-v1").reset(seed=0)
    np.testing.assert_allclose(first_observation(), expected, rtol=1e-6)


def test_spaces_describedFully_andValuesFollowTheSchema(api):
    instance_id = create(api, "GymlinkTest/DictObs-v0")
    info = api.get(f"/v1/envs/{instance_id}/observation_space/").json["info"]
    assert info["name"] == "Dict"
    spaces = info["spaces"]
    assert spaces["flags"] == {"name": "MultiBinary", "n": 3, "shape": [3]}
    assert spaces["grid"] == {"name": "MultiDiscrete", "shape": [2], "nvec": [2, 3], "start": [0, 0],
                              "dtype": "int64"}
    assert spaces["pair"]["name"] == "Tuple" and [s["name"] for s in spaces["pair"]["spaces"]] == ["Discrete", "Box"]
    answer = api.post(f"/v1/envs/{instance_id}/reset/", json={"seed": 5, "options": {"k": 1}}).json
    assert answer["info"] == {"options": {"k": 1}, "seed": 5}
    observation = answer["observation"]
    assert set(observation) == {"position", "count", "flags", "grid", "pair"}
    assert isinstance(observation["count"], int) and len(observation["pair"]) == 2
    step = api.post(f"/v1/envs/{instance_id}/step/", json={"action": 2}).json
    assert step["info"]["array"] == [0.0, 1.0, 2.0], "numpy arrays in info arrive as lists"
    assert step["info"]["nested"]["map"] == {"a": 7}


def test_spec_route(api):
    instance_id = create(api, "Pendulum-v1")
    spec = api.get(f"/v1/envs/{instance_id}/spec/").json
    assert spec["env_id"] == "Pendulum-v1" and spec["max_episode_steps"] == 200


@pytest.mark.parametrize(("method", "route", "body", "message"), [
    ("POST", "/v1/envs/", b"{not json", "Request is not a valid json"),
    ("POST", "/v1/envs/", b"null", "Request is not a valid json"),
    ("POST", "/v1/envs/", {"seed": 1}, "A required request parameter 'env_id' was not provided"),
    ("POST", "/v1/envs/", {"env_id": ""}, "A required request parameter 'env_id' was not provided"),
    ("POST", "/v1/envs/", {"env_id": "CartPole-v1", "seed": "x"}, "seed is 'x', expected an integer"),
    ("POST", "/v1/envs/", {"env_id": "CartPol-v1"}, "environment 'CartPol-v1' is not registered; did you mean"),
    ("POST", "/v1/envs/", {"env_id": "os:system"}, "entry point 'os:system' is not allowed"),
    ("POST", "/v1/envs/nope/reset/", None, "Instance_id nope unknown"),
    ("GET", "/v1/envs/nope/action_space/", None, "Instance_id nope unknown"),
    ("POST", "/v1/envs/{pendulum}/step/", {"render": False}, "A required request parameter 'action' was not provided"),
    ("POST", "/v1/envs/{pendulum}/step/", {"action": [0.5]}, r"instance '\w+' of 'Pendulum-v1' needs reset"),
    ("POST", "/v1/envs/{pendulum}/monitor/start/", {}, "A required request parameter 'directory' was not provided"),
    ("POST", "/v1/shutdown/", None, "shutdown over HTTP is disabled"),
])
def test_errors_are400WithMessage(api, method, route, body, message):
    pendulum = create(api, "Pendulum-v1")
    route = route.format(pendulum=pendulum)
    if isinstance(body, bytes):
        answer = api.open(route, method=method, data=body, content_type="application/json")
    else:
        answer = api.open(route, method=method, json=body)
    assert answer.status_code == 400
    assert set(answer.json) == {"message", "type"}
    assert __import__("re").search(message, answer.json["message"]), answer.json


@pytest.mark.parametrize(("action", "message"), [
    ([0.5, 0.5], r"^action for 'Pendulum-v1' has shape \[2\], expected \[1\]$"),
    ([[0.5]], r"^action for 'Pendulum-v1' has shape \[1, 1\], expected \[1\]$"),
    ([None], "^action for 'Pendulum-v1' is NaN at index 0$"),
    ([3.0], r"^action for 'Pendulum-v1' has 3.0 at index 0, above the upper bound 2.0$"),
    ([[1], [1, 2]], "^action for 'Pendulum-v1' is .*, expected a number or a rectangular nested list"),
    ({"x": 1}, "^action for 'Pendulum-v1' is .*, expected a number or a nested list"),
])
def test_step_wrongAction_is400InvalidAction(api, action, message):
    pendulum = create(api, "Pendulum-v1")
    api.post(f"/v1/envs/{pendulum}/reset/")
    answer = api.post(f"/v1/envs/{pendulum}/step/", json={"action": action})
    assert answer.status_code == 400 and answer.json["type"] == "InvalidAction"
    assert __import__("re").search(message, answer.json["message"]), answer.json["message"]
    assert api.post(f"/v1/envs/{pendulum}/step/", json={"action": [0.5]}).status_code == 200, "instance survives"


def test_environmentCrash_is400_andServerKeepsServing(api):
    crash = create(api, "GymlinkTest/Crash-v0")
    api.post(f"/v1/envs/{crash}/reset/")
    for _ in range(2):
        assert api.post(f"/v1/envs/{crash}/step/", json={"action": [0.1]}).status_code == 200
    answer = api.post(f"/v1/envs/{crash}/step/", json={"action": [0.1]})
    assert answer.status_code == 400
    assert answer.json["type"] == "EnvironmentFailed" and "RuntimeError: simulated crash" in answer.json["message"]
    assert api.post(f"/v1/envs/{crash}/reset/").status_code == 200


def test_trailingSlashes_asUpstream(api):
    instance_id = create(api, "CartPole-v1")
    assert api.post(f"/v1/envs/{instance_id}/reset").status_code == 308, "missing slash redirects (Flask, as upstream)"
    assert api.get(f"/v1/envs/{instance_id}/action_space/sample").status_code == 200
    missing = api.get(f"/v1/envs/{instance_id}/action_space/sample/")
    assert missing.status_code == 404 and "message" in missing.json


def test_upload_acceptedForOldScripts(api):
    assert api.post("/v1/upload/", json={"training_dir": "tmp", "api_key": "k"}).status_code == 204
    assert api.post("/v1/upload/", json={"training_dir": "tmp"}).json["message"] == (
        "A required request parameter 'api_key' was not provided")


def test_shutdown_callsTheHook_whenAllowed(table):
    calls = []
    api = create_app(OpenSessions(table), on_shutdown=lambda: calls.append(1)).test_client()
    answer = api.post("/v1/shutdown/")
    assert answer.status_code == 200 and answer.text == "Server shutting down"
    import time

    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == [1]


def test_concurrentStepsOnOneInstance_areSerialised(live):
    server, _ = live
    setup = Client(f"http://127.0.0.1:{server.port}")
    instance_id = setup.env_create("GymlinkTest/CompositeAction-v0")
    setup.env_reset(instance_id)
    action = [[0, 0], [0, 0, 0, 0], {"x": [0.0, 0.0]}]

    def one_step(_):
        client = Client(f"http://127.0.0.1:{server.port}")
        try:
            return client.request("POST", f"/v1/envs/{instance_id}/step/", {"action": action})
        finally:
            client.close()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one_step, range(8)))
    ok = sorted(a["info"]["steps"] for status, a in answers if status == 200)
    refused = [a for status, a in answers if status != 200]
    # The episode ends after 5 steps: exactly steps 1..5 succeed, each once, and the rest need a reset.
    assert ok == [1, 2, 3, 4, 5]
    assert len(refused) == 3 and all(a["type"] == "ResetNeeded" for a in refused)
    setup.close()


def test_codec_neverLeaksNumpy():
    from gymnasium import spaces

    space = spaces.Box(-np.inf, np.inf, (2, 2), np.float32)
    encoded = http_codec.encode(space, np.array([[np.inf, -np.inf], [np.nan, 1.5]], np.float32))
    assert encoded == [[1e100, -1e100], [None, 1.5]]
    assert json.dumps(http_codec.jsonable({"a": np.float32(2.5), "b": (np.int64(1), np.bool_(True))}))
    assert http_codec.encode(spaces.Discrete(3), np.int64(2)) == 2
