"""Action repeat (MakeRequest.action_repeat): K frames per step, rewards summed, stopping at the ending frame."""

from __future__ import annotations

import grpc
import gymnasium as gym
import numpy as np
import pytest
from conftest import TIMEOUT, reset, start_server, step, tensor_value
from test_session import Session

from gymlink_envserver import codec, osim
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.osim.env import ProcessEnv
from gymlink_envserver.registry import Allowlist
from gymlink_envserver.repeat import ActionRepeat

FAKE_OSIM_ID = "GymlinkTest/FakeOsimRepeat-v0"


def _make(stub, env_id, **fields) -> pb.MakeResponse:
    return stub.Make(pb.MakeRequest(env_id=env_id, **fields), timeout=TIMEOUT)


def _local_frames(env_id, seed, actions, **make_kwargs):
    """(reward, terminated, truncated) of each frame of a local, same-seeded env stepped with ``actions``."""
    env = gym.make(env_id, **make_kwargs)
    env.reset(seed=seed)
    frames = []
    for action in actions:
        _, reward, terminated, truncated, _ = env.step(action)
        frames.append((float(reward), terminated, truncated))
        if terminated or truncated:
            break
    env.close()
    return frames


def test_pendulum_repeat4_sumsTheRewardsOfFourFrames_andTheTimeLimitCountsFrames(stub):
    made = _make(stub, "Pendulum-v1", max_episode_steps=10, action_repeat=4)
    assert made.action_repeat == 4
    assert made.spec.max_episode_steps == 10  # frames, as the env's TimeLimit counts them
    reset(stub, made.instance_id, seed=3)
    actions = [np.array([0.5 * ((i % 3) - 1)], np.float32) for i in range(3)]
    outcomes = [step(stub, made.instance_id, tensor_value(a)) for a in actions]
    frames = _local_frames("Pendulum-v1", 3, [a for a in actions for _ in range(4)], max_episode_steps=10)
    assert len(frames) == 10
    expected = [sum(r for r, _, _ in frames[0:4]), sum(r for r, _, _ in frames[4:8]), sum(r for r, _, _ in frames[8:])]
    assert [o.reward for o in outcomes] == pytest.approx(expected, rel=1e-6)
    # 10 frames at 4 per step: the third step covers frames 9 and 10 and ends truncated.
    assert [(o.terminated, o.truncated) for o in outcomes] == [(False, False), (False, False), (False, True)]


def test_cartPole_repeat_stopsAtTheFrameThatTerminates(stub):
    push_right = [1] * 50
    frames = _local_frames("CartPole-v1", 7, push_right)
    assert frames[-1][1], "pushing right the pole falls: terminated"
    repeat = 3
    made = _make(stub, "CartPole-v1", action_repeat=repeat)
    reset(stub, made.instance_id, seed=7)
    outcomes = []
    while not outcomes or not (outcomes[-1].terminated or outcomes[-1].truncated):
        outcomes.append(step(stub, made.instance_id, tensor_value(1, np.int64)))
    assert len(outcomes) == -(-len(frames) // repeat)
    assert sum(o.reward for o in outcomes) == len(frames)  # no frame stepped after the pole fell
    assert outcomes[-1].reward == len(frames) - repeat * (len(outcomes) - 1)
    assert outcomes[-1].terminated and not outcomes[-1].truncated


def test_make_withoutRepeat_answersRepeat1(stub):
    assert _make(stub, "Pendulum-v1").action_repeat == 1
    assert _make(stub, "Pendulum-v1", action_repeat=1).action_repeat == 1


@pytest.mark.parametrize("repeat", [0, -2, 1001])
def test_make_repeatOutOfRange_isInvalidArgumentNamingTheField(stub, repeat):
    with pytest.raises(grpc.RpcError) as raised:
        _make(stub, "Pendulum-v1", action_repeat=repeat)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert raised.value.details() == f"action_repeat for 'Pendulum-v1' is {repeat}, expected 1 to 1000"


def test_session_make_withRepeat_stepBatchAppliesIt(stub):
    session = Session(stub)
    made = session.send(make=pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=8, action_repeat=4)).make
    assert made.action_repeat == 4
    session.send(reset=pb.ResetRequest(instance_id=made.instance_id, seed=0))
    batch = pb.StepBatchRequest(steps=[pb.StepRequest(instance_id=made.instance_id,
                                                      action=tensor_value([0.0], np.float32))], autoreset=True)
    results = [session.send(step_batch=batch).step_batch.results[0] for _ in range(3)]
    session.end()
    # 8 frames at 4 per step: the second step truncates (and autoreset starts the next episode in the same call).
    assert [(r.terminated, r.truncated) for r in results] == [(False, False), (False, True), (False, False)]
    assert results[1].HasField("reset_observation")


@pytest.fixture(scope="module")
def osim_worker_stub():
    """A server offering an osim-style env whose simulation runs in a worker process (time limit 4 frames)."""
    if FAKE_OSIM_ID not in gym.registry:
        gym.register(FAKE_OSIM_ID, entry_point=ProcessEnv, kwargs={
            "factory": "fake_osim:FakeOsimEnv", "timeout": 60, "apply_compat": False})
    server = start_server(allowlist=Allowlist([FAKE_OSIM_ID]))
    with grpc.insecure_channel(server.target) as channel:
        yield pb_grpc.EnvServiceStub(channel)
    server.stop(0)


def test_osimWorkerEnv_repeat3_sumsFrames_truncatesAtTheWorkersTimeLimit(osim_worker_stub):
    made = _make(osim_worker_stub, FAKE_OSIM_ID, action_repeat=3)
    reset(osim_worker_stub, made.instance_id, seed=0)
    action = tensor_value([0.5, 0.5, 0.5], np.float32)
    outcomes = [step(osim_worker_stub, made.instance_id, action) for _ in range(2)]
    # The fake's reward is the action's sum (1.5) per frame; its own limit is 4 frames: 3 + 1.
    assert [o.reward for o in outcomes] == pytest.approx([4.5, 1.5])
    assert [(o.terminated, o.truncated) for o in outcomes] == [(False, False), (False, True)]
    assert codec.decode_value(outcomes[1].observation)[1] == 4.0  # the worker's istep of the last frame


def test_osimWorkerEnv_repeat_stopsAtTheFall(osim_worker_stub):
    made = _make(osim_worker_stub, FAKE_OSIM_ID, action_repeat=3)
    reset(osim_worker_stub, made.instance_id, seed=0)
    outcome = step(osim_worker_stub, made.instance_id, tensor_value([1.0, 0.0, 0.0], np.float32))
    assert (outcome.reward, outcome.terminated, outcome.truncated) == (1.0, True, False)
    assert codec.decode_value(outcome.observation)[1] == 1.0


def test_actionRepeat_refusesRepeatOutsideItsBounds():
    env = gym.make("Pendulum-v1")
    with pytest.raises(ValueError, match=r"repeat is 0, expected 1 to 1000"):
        ActionRepeat(env, 0)
    env.close()


def test_osimWorkerEnv_withRepeat_stillStepsConcurrentlyInBatches(osim_worker_stub):
    table = InstanceTable(Allowlist([FAKE_OSIM_ID]))
    try:
        instance = table.make(FAKE_OSIM_ID, action_repeat=2)
        assert isinstance(instance.env, ActionRepeat) and instance.action_repeat == 2
        assert instance.declares_concurrent_step
    finally:
        table.close_all()


@pytest.mark.skipif(not osim.osim_available(),
                    reason="osim-rl is not installed (pip install ./envserver-adapter[osim])")
def test_realL2M2019_repeat2_throughTheServer_timeLimitCountsFrames():
    osim.register()
    server = start_server(allowlist=Allowlist(["L2M2019Env"]))
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            made = stub.Make(pb.MakeRequest(env_id="L2M2019Env", max_episode_steps=3, action_repeat=2), timeout=120)
            assert made.action_repeat == 2
            reset(stub, made.instance_id, seed=0)
            action = tensor_value(np.full(22, 0.05), np.float32)
            outcomes = [step(stub, made.instance_id, action, timeout=120) for _ in range(2)]
            assert [(o.terminated, o.truncated) for o in outcomes] == [(False, False), (False, True)]
    finally:
        server.stop(0)
