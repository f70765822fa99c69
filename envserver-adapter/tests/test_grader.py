"""Grader mode: tokens, version check, per-participant limit, TTL, fixed seeds, null observation, score on close."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest
from gym_http_oracle import Client, ServerError

from gymlink_envserver.grader import GraderConfig, GraderSessions, read_tokens
from gymlink_envserver.http_api import HttpServer, create_app
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.registry import Allowlist

TOKENS = {"secret-alice": "alice", "secret-bob": "bob"}
SEEDS = (3, 1, 4)
VERSION = "3.0.11"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock():
    return FakeClock()


@pytest.fixture()
def grader(tmp_path, clock):
    table = InstanceTable(Allowlist.build(test_envs=True), max_instances=16)
    config = GraderConfig(seeds=SEEDS, tokens=TOKENS, version=VERSION, max_envs=2, ttl=60.0,
                          results=tmp_path / "results.jsonl")
    server = HttpServer(create_app(GraderSessions(table, config, clock=clock)), "127.0.0.1", 0, threads=4)
    server.start()
    client = Client(f"http://127.0.0.1:{server.port}")
    yield client, config
    client.close()
    server.stop()
    table.close_all()


def create(client, token="secret-alice", version=VERSION, env_id="Pendulum-v1"):
    return client.env_create(env_id, token=token, version=version)


def test_wholeFlow_fixedSeeds_nullObservation_scoreOnMonitorClose(grader):
    client, config = grader
    instance_id = create(client)
    assert instance_id.startswith("alice___")
    client.env_monitor_start(instance_id, "tmp", force=True)
    total, firsts = 0.0, []
    observation = client.env_reset(instance_id)
    while observation is not None:
        firsts.append(observation)
        done = False
        while not done:
            observation, reward, done, _ = client.env_step(instance_id, [0.0])
            total += reward
        observation = client.env_reset(instance_id)
    assert len(firsts) == len(SEEDS)
    for seed, first in zip(SEEDS, firsts, strict=True):
        expected, _ = gym.make("Pendulum-v1").reset(seed=seed)
        np.testing.assert_allclose(first, expected, rtol=1e-6)
    status, answer = client.request("POST", f"/v1/envs/{instance_id}/monitor/close/")
    assert status == 200
    assert answer["reward"] == pytest.approx(total / len(SEEDS))
    record = json.loads(config.results.read_text().splitlines()[0])
    assert record["participant"] == "alice" and record["score"] == pytest.approx(answer["reward"])
    assert len(record["episode_returns"]) == len(SEEDS)
    client.env_close(instance_id)


def test_clientSeed_isIgnored(grader):
    client, _ = grader
    instance_id = create(client)
    client.env_monitor_start(instance_id, "tmp")
    observation = client.env_reset(instance_id, {"seed": 99})
    expected, _ = gym.make("Pendulum-v1").reset(seed=SEEDS[0])
    np.testing.assert_allclose(observation, expected, rtol=1e-6)


@pytest.mark.parametrize(("token", "version", "status", "message"), [
    ("wrong", VERSION, 401, r"^token 'wron\.\.\.' is not registered with this grader$"),
    (None, VERSION, 401, "^A required request parameter 'token' was not provided$"),
    ("secret-alice", None, 400, r"^A required request parameter 'version' was not provided \(the osim-rl version\)$"),
    ("secret-alice", "2.1.5", 400, r"^osim-rl version '2\.1\.5' does not match the grader's '3\.0\.11'; "
                                   r"install osim-rl==3\.0\.11$"),
])
def test_create_refused(grader, token, version, status, message):
    client, _ = grader
    with pytest.raises(ServerError, match=message) as error:
        client.env_create("Pendulum-v1", **({"token": token} if token else {}),
                          **({"version": version} if version else {}))
    assert error.value.status_code == status


def test_create_unknownEnvironment_is404(grader):
    client, _ = grader
    with pytest.raises(ServerError, match="'NoSuchChallenge-v0' is not registered") as error:
        create(client, env_id="NoSuchChallenge-v0")
    assert error.value.status_code == 404


def test_perParticipantLimit(grader):
    client, _ = grader
    create(client)
    create(client)
    with pytest.raises(ServerError, match="participant 'alice' already holds 2 environments, the limit is 2") as error:
        create(client)
    assert error.value.status_code == 400
    create(client, token="secret-bob")


def test_ttl_expiresEnvironments(grader, clock):
    client, _ = grader
    instance_id = create(client)
    clock.now += 61.0
    with pytest.raises(ServerError, match=f"^Instance_id {instance_id} unknown: .*expired after the grader's TTL"):
        client.env_reset(instance_id)
    create(client)
    create(client)


def test_flowOrder_enforced(grader):
    client, _ = grader
    instance_id = create(client)
    with pytest.raises(ServerError, match="call monitor/start/ before reset/"):
        client.env_reset(instance_id)
    client.env_monitor_start(instance_id, "tmp")
    client.env_reset(instance_id)
    with pytest.raises(ServerError, match="the evaluation is not finished: 2 of 3 episodes not started yet"):
        client.env_monitor_close(instance_id)


def test_participantsCannotSeeOrUseEachOthersEnvironments(grader):
    client, _ = grader
    alice = create(client)
    with pytest.raises(ServerError, match="listing environments is disabled"):
        client.env_list_all()
    forged = "bob___" + alice.split("___")[1]
    with pytest.raises(ServerError, match=f"^Instance_id {forged} unknown$"):
        client.env_reset(forged)


def test_readTokens(tmp_path):
    path = tmp_path / "tokens.txt"
    path.write_text("# challenge tokens\nsecret-1 alice\n\nsecret-2   # no name\n")
    tokens = read_tokens(path)
    assert tokens["secret-1"] == "alice" and tokens["secret-2"].startswith("p") and len(tokens["secret-2"]) == 9
    path.write_text("a x\na y\n")
    with pytest.raises(ValueError, match="tokens.txt:2: token listed twice"):
        read_tokens(path)
    path.write_text("a bad___name\n")
    with pytest.raises(ValueError, match="participant name 'bad___name'"):
        read_tokens(path)


def _osim_client():
    try:
        from osim.http.client import Client as OsimClient
    except Exception:  # noqa: BLE001 - osim-rl absent, or its client's own imports (requests, six) missing
        return None
    return OsimClient


@pytest.mark.skipif(_osim_client() is None, reason="osim-rl's HTTP client (osim.http.client) is not importable")
def test_osimRlsOwnClient_runsTheWholeFlow(tmp_path, capsys):
    from gymlink_envserver.grader import installed_osim_rl_version

    table = InstanceTable(Allowlist.build(test_envs=True), max_instances=4)
    config = GraderConfig(seeds=(7, 8), tokens={"tok": "bob"}, version=installed_osim_rl_version())
    server = HttpServer(create_app(GraderSessions(table, config)), "127.0.0.1", 0, threads=2)
    server.start()
    try:
        client = _osim_client()(f"http://127.0.0.1:{server.port}")
        observation = client.env_create("tok", env_id="Pendulum-v1")
        total, episodes = 0.0, 0
        while True:
            observation, reward, done, _ = client.env_step([0.1])
            total += reward
            if done:
                episodes += 1
                observation = client.env_reset()
                if observation is None:
                    break
        client.submit()
        assert episodes == 2
        assert f"Your total reward from this submission: {total / 2:f}" in capsys.readouterr().out
    finally:
        server.stop()
        table.close_all()
