"""osim-rl envs in worker processes: spaces, terminated/truncated split, recycling, crashes; the real osim-rl too."""

from __future__ import annotations

import logging

import gymnasium as gym
import numpy as np
import pytest
from gymnasium import spaces

from gymlink_envserver import osim
from gymlink_envserver.osim.env import OsimEnv, ProcessEnv

FAKE = "fake_osim:FakeOsimEnv"


@pytest.fixture()
def fake():
    env = ProcessEnv(FAKE, observation="flat", recycle_episodes=2, timeout=60, apply_compat=False)
    yield env
    env.close()


def test_flat_observation_isBoxOfTheRealLength_withUnboundedSpaceWhenOsimsBoundsAreBogus(fake):
    assert fake.action_space == spaces.Box(0.0, 1.0, (3,), np.float32)
    assert fake.observation_space.shape == (3,)
    assert np.all(np.isinf(fake.observation_space.low))
    observation, _ = fake.reset(seed=0)
    assert observation.dtype == np.float32 and fake.observation_space.contains(observation)


def test_timeLimit_isTruncated_fall_isTerminated(fake):
    fake.reset(seed=1)
    outcomes = [fake.step(np.full(3, 0.1, np.float32))[2:4] for _ in range(4)]
    assert outcomes == [(False, False)] * 3 + [(False, True)]
    fake.reset(seed=2)
    _, reward, terminated, truncated, _ = fake.step(np.array([1.0, 0.0, 0.0], np.float32))
    assert (terminated, truncated) == (True, False) and reward == pytest.approx(1.0)


def test_seed_reproducesTheEpisode(fake):
    first, _ = fake.reset(seed=5)
    again, _ = fake.reset(seed=5)
    assert first[0] == again[0]


def test_worker_isRecycledAfterNEpisodes(fake):
    pids = [fake.reset(seed=i)[1]["worker_pid"] for i in range(5)]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]


def test_dictObservation_isNestedDictSpace():
    env = ProcessEnv(FAKE, observation="dict", timeout=60, apply_compat=False)
    try:
        space = env.observation_space
        assert isinstance(space, spaces.Dict) and set(space.spaces) == {"pelvis", "field", "pid"}
        assert space["pelvis"]["height"].shape == () and space["pelvis"]["vel"].shape == (2,)
        assert space["field"].shape == (2, 2, 2)
        observation, _ = env.reset(seed=0)
        assert space.contains(observation)
    finally:
        env.close()


def test_workerCrash_raisesNamingTheWorker_andResetStartsAFreshOne():
    env = ProcessEnv(FAKE, {"crash_on_step": 2}, timeout=60, apply_compat=False)
    try:
        env.reset(seed=0)
        env.step(np.zeros(3, np.float32))
        with pytest.raises(RuntimeError, match=r"the osim worker for fake_osim:FakeOsimEnv \(pid \d+\) exited with "
                                               r"code 3 during step"):
            env.step(np.zeros(3, np.float32))
        env.reset(seed=0)
        env.step(np.zeros(3, np.float32))
    finally:
        env.close()


@pytest.mark.parametrize("quiet", [True, False])
def test_quiet_keepsTheEnvsPrintsAndWarningsOutOfTheServersOutput(capfd, quiet):
    env = ProcessEnv(FAKE, timeout=60, apply_compat=False, quiet=quiet)
    try:
        env.reset(seed=0)
        env.step(np.zeros(3, np.float32))
    finally:
        env.close()
    out, err = capfd.readouterr()
    assert ("fake osim: reset" in err) is not quiet, err
    assert ("fake osim: a warning" in err) is not quiet, err
    assert "fake osim" not in out, "a worker never writes to the server's stdout (launchers read it)"


@pytest.mark.parametrize(("level", "quiet"), [(logging.WARNING, True), (logging.INFO, False)])
def test_quiet_byDefault_followsTheServersLogLevel(caplog, level, quiet):
    caplog.set_level(level, logger="gymlink_envserver")
    env = ProcessEnv(FAKE, timeout=60, apply_compat=False)
    try:
        assert env._spawn_args[-1] is quiet
    finally:
        env.close()


def test_osimEnv_refusesUnknownClassesAndServerSideKwargs():
    with pytest.raises(ValueError, match="osim_class is 'os:system'"):
        OsimEnv("os:system")
    with pytest.raises(ValueError, match=r"L2M2019Env does not take \['report'\] here"):
        OsimEnv("L2M2019Env", report="/tmp/x")


requires_osim = pytest.mark.skipif(not osim.osim_available(),
                                   reason="osim-rl is not installed (pip install ./envserver-adapter[osim])")


@requires_osim
def test_realL2M2019_flat_stepsAndFallsTerminated():
    assert "L2M2019Env" in osim.register()
    env = gym.make("L2M2019Env")
    try:
        assert env.action_space == spaces.Box(0.0, 1.0, (22,), np.float32)
        assert env.observation_space.shape == (339,)
        observation, _ = env.reset(seed=0)
        assert env.observation_space.contains(observation)
        again, _ = env.reset(seed=0)
        np.testing.assert_array_equal(observation, again)
        for _ in range(300):
            observation, reward, terminated, truncated, _ = env.step(np.zeros(22, np.float32))
            assert env.observation_space.contains(observation)
            if terminated or truncated:
                break
        assert terminated and not truncated, "with no muscle activation the model falls: terminated, not truncated"
    finally:
        env.close()


@requires_osim
def test_realL2M2019_dictObservation():
    env = gym.make("L2M2019Env", observation="dict")
    try:
        space = env.observation_space
        assert set(space.spaces) == {"v_tgt_field", "pelvis", "r_leg", "l_leg"}
        assert space["v_tgt_field"].shape == (2, 11, 11)
        observation, _ = env.reset(seed=1)
        assert space.contains(observation)
    finally:
        env.close()


@requires_osim
def test_realL2M2019_throughTheGraderFlow(tmp_path):
    from gym_http_oracle import Client

    from gymlink_envserver.grader import GraderConfig, GraderSessions, installed_osim_rl_version
    from gymlink_envserver.http_api import HttpServer, create_app
    from gymlink_envserver.instances import InstanceTable
    from gymlink_envserver.registry import Allowlist

    table = InstanceTable(Allowlist.build(), max_instances=2)
    config = GraderConfig(seeds=(1,), tokens={"tok": "alice"})
    assert config.version == installed_osim_rl_version()
    server = HttpServer(create_app(GraderSessions(table, config)), "127.0.0.1", 0, threads=2)
    server.start()
    client = Client(f"http://127.0.0.1:{server.port}", timeout=120)
    try:
        instance_id = client.env_create("L2M2019Env", token="tok", version=config.version)
        client.env_monitor_start(instance_id, "tmp", force=True)
        observation, total, episodes = client.env_reset(instance_id), 0.0, 0
        while observation is not None:
            assert len(observation) == 339
            done = False
            while not done:
                observation, reward, done, _ = client.env_step(instance_id, [0.0] * 22)
                total += reward
            episodes += 1
            observation = client.env_reset(instance_id)
        assert episodes == 1
        _, answer = client.request("POST", f"/v1/envs/{instance_id}/monitor/close/")
        assert answer["reward"] == pytest.approx(total)
        client.env_close(instance_id)
    finally:
        client.close()
        server.stop()
        table.close_all()


@requires_osim
@pytest.mark.parametrize("quiet", [True, False])
def test_realL2M2019_quiet_keepsOpenSimsInfoLogOut(capfd, quiet):
    env = ProcessEnv("osim.env:L2M2019Env", quiet=quiet)  # as OsimEnv makes it, with quiet chosen here
    try:
        env.reset(seed=0)
        env.step(np.zeros(22, np.float32))
    finally:
        env.close()
    out, err = capfd.readouterr()
    assert ("number of steps taken / attempted" in err) is not quiet, err[-2000:]
    assert ("difficulty 3 for Round 2" in err) is not quiet, err[-2000:]
    assert "[info]" not in out
