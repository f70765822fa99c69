"""StepBatch as a vector env uses it: same-step autoreset, isolated failures, concurrent waiting envs, fast checks."""

import re
import time

import grpc
import gymnasium as gym
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, start_server, tensor_value

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.batch import BatchStepper
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.osim.env import ProcessEnv
from gymlink_envserver.registry import Allowlist
from gymlink_envserver.testing_envs import SLEEP_ID


def batch(ids, actions, **flags) -> pb.StepBatchRequest:
    return pb.StepBatchRequest(steps=[pb.StepRequest(instance_id=i, action=tensor_value(a, np.float32))
                                      for i, a in zip(ids, actions, strict=True)], **flags)


def made(stub, env_id: str, count: int, seed: int = 0, **kwargs) -> list[str]:
    ids = [make(stub, env_id, **kwargs).instance_id for _ in range(count)]
    for k, instance_id in enumerate(ids):
        reset(stub, instance_id, seed=seed + k)
    return ids


def test_autoreset_endedEpisode_finalObservationAndNextEpisodeInOneCall(stub):
    ids = [stub.Make(pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=3), timeout=TIMEOUT).instance_id]
    reset(stub, ids[0], seed=7)
    local = gym.make("Pendulum-v1", max_episode_steps=3)
    local.reset(seed=7)
    for t in range(5):
        action = np.array([0.5], np.float32)
        result = stub.StepBatch(batch(ids, [action], autoreset=True), timeout=TIMEOUT).results[0]
        observation, reward, terminated, truncated, _ = local.step(action)
        assert np.array_equal(codec.decode_value(result.observation), observation)
        assert (result.reward, result.terminated, result.truncated) == (reward, terminated, truncated)
        if t == 2:
            # The true final observation stays in `observation`; the new episode's first one comes beside it.
            assert result.HasField("reset_observation")
            assert np.array_equal(codec.decode_value(result.reset_observation), local.reset()[0])
        else:
            assert not result.HasField("reset_observation")


def test_autoresetOff_endedEpisode_nextStepNeedsReset(stub):
    instance_id = stub.Make(pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=1), timeout=TIMEOUT).instance_id
    reset(stub, instance_id)
    result = stub.StepBatch(batch([instance_id], [[0.0]]), timeout=TIMEOUT).results[0]
    assert result.truncated and not result.HasField("reset_observation")
    with pytest.raises(grpc.RpcError) as caught:
        stub.StepBatch(batch([instance_id], [[0.0]]), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_isolateFailures_crashingEnv_failsOnlyItsOwnResult(stub):
    crash = made(stub, "GymlinkTest/Crash-v0", 1)
    pendulums = made(stub, "Pendulum-v1", 2)
    ids = [pendulums[0], crash[0], pendulums[1]]
    for _ in range(2):
        stub.StepBatch(batch(ids, [[0.1]] * 3, isolate_failures=True), timeout=TIMEOUT)
    results = stub.StepBatch(batch(ids, [[0.1]] * 3, isolate_failures=True), timeout=TIMEOUT).results
    assert results[1].error.code == grpc.StatusCode.INTERNAL.value[0]
    assert "'GymlinkTest/Crash-v0'" in results[1].error.message
    assert "RuntimeError: simulated crash" in results[1].error.message
    assert not results[1].HasField("observation")
    for k in (0, 2):
        assert not results[k].HasField("error") and results[k].HasField("observation")
    # The others go on; the crashed instance needs a reset first.
    stub.StepBatch(batch(pendulums, [[0.1]] * 2, isolate_failures=True), timeout=TIMEOUT)
    with pytest.raises(grpc.RpcError) as caught:
        stub.StepBatch(batch(crash, [[0.1]]), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_isolateFailuresOff_crashingEnv_failsTheBatch(stub):
    crash = made(stub, "GymlinkTest/Crash-v0", 1)
    pendulum = made(stub, "Pendulum-v1", 1)
    for _ in range(2):
        stub.StepBatch(batch(crash + pendulum, [[0.1]] * 2), timeout=TIMEOUT)
    with pytest.raises(grpc.RpcError) as caught:
        stub.StepBatch(batch(crash + pendulum, [[0.1]] * 2), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INTERNAL
    assert "simulated crash" in caught.value.details()


def test_waitingEnvs_sixteenInOneBatch_takeAboutOneStepTime(stub):
    step_seconds = 0.25
    ids = made(stub, SLEEP_ID, 16, step_seconds=step_seconds)
    started = time.monotonic()
    results = stub.StepBatch(batch(ids, [[0.5]] * 16), timeout=TIMEOUT).results
    elapsed = time.monotonic() - started
    assert [r.reward for r in results] == [-0.25] * 16
    # One after the other they would take 16 x 0.25 = 4 s.
    assert elapsed < 4 * step_seconds, f"16 sleeping envs took {elapsed:.2f} s in one batch"


def test_osimStyleWorkerEnvs_inOneBatch_stepInParallel():
    # ProcessEnv (each instance simulating in its own worker process) declares gymlink.concurrent_step.
    env_id = "GymlinkTest/FakeOsimWorker-v0"
    if env_id not in gym.registry:
        gym.register(env_id, entry_point=ProcessEnv, kwargs={
            "factory": "fake_osim:FakeOsimEnv", "kwargs": {"step_seconds": 0.4}, "timeout": 60,
            "apply_compat": False})
    table = InstanceTable(Allowlist([env_id]))
    stepper = BatchStepper(table, threads=4)
    action = np.full((1, 3), 0.5, np.float32)
    try:
        ids = [table.make(env_id).instance_id for _ in range(2)]
        for instance_id in ids:
            table.get(instance_id).reset(seed=0)
        started = time.monotonic()
        for instance_id in ids:
            stepper.step([instance_id], action)
        one_by_one = time.monotonic() - started
        started = time.monotonic()
        stepped = stepper.step(ids, np.repeat(action, 2, axis=0))
        together = time.monotonic() - started
    finally:
        table.close_all()
        stepper.close()
    assert all(result.error is None for _, result in stepped)
    # Side by side in one test, so that the machine's load hits both alike.
    assert together < 0.75 * one_by_one, f"one batch {together:.2f} s, one by one {one_by_one:.2f} s"


def test_stepThreads_boundTheConcurrency():
    server = start_server(step_threads=2)
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            ids = made(stub, SLEEP_ID, 4, step_seconds=0.2)
            started = time.monotonic()
            stub.StepBatch(batch(ids, [[0.0]] * 4), timeout=TIMEOUT)
            elapsed = time.monotonic() - started
    finally:
        server.stop(0)
    # Two threads for four 0.2 s steps: two rounds.
    assert elapsed >= 0.4 - 0.02, f"4 envs on 2 step threads took {elapsed:.2f} s"


@pytest.mark.parametrize(("env_id", "concurrent_ids", "expected"), [
    ("Pendulum-v1", (), False),
    (SLEEP_ID, (), True),
    ("Pendulum-v1", ("Pendulum-v1",), True),
])
def test_stepsConcurrently_declaredByEnvOrOperator(env_id, concurrent_ids, expected):
    table = InstanceTable(Allowlist.build(test_envs=True))
    stepper = BatchStepper(table, threads=2, concurrent_ids=concurrent_ids)
    try:
        instance = table.make(env_id)
        assert stepper.steps_concurrently(instance) is expected
    finally:
        table.close_all()
        stepper.close()


def test_sleepEnv_registeredWithTimeLimitAndDefaultStepTime(stub):
    spec = make(stub, SLEEP_ID).spec
    assert spec.max_episode_steps == 200
    assert gym.spec(SLEEP_ID).kwargs == {"step_seconds": 0.02}


@pytest.mark.parametrize(("actions", "message"), [
    ([[0.1], [float("nan")], [0.2]], r"^action for 'Pendulum-v1' is NaN at index 0$"),
    ([[0.1], [0.1], [2.5]], r"^action for 'Pendulum-v1' has 2.5 at index 0, above the upper bound 2.0$"),
])
def test_stackedActions_oneBad_nothingStepsAndMessageNamesIt(stub, actions, message):
    ids = made(stub, "Pendulum-v1", 3)
    with pytest.raises(grpc.RpcError) as caught:
        stub.StepBatch(batch(ids, actions), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert re.search(message, caught.value.details()), caught.value.details()


def test_mixedActionShapes_decodedOneByOne(stub):
    pendulum = made(stub, "Pendulum-v1", 1)
    car = made(stub, "MountainCarContinuous-v0", 1)
    request = pb.StepBatchRequest(steps=[
        pb.StepRequest(instance_id=pendulum[0], action=tensor_value([0.1], np.float32)),
        pb.StepRequest(instance_id=car[0], action=tensor_value([0.2], np.float64))])
    results = stub.StepBatch(request, timeout=TIMEOUT).results
    assert len(results) == 2 and all(r.HasField("observation") for r in results)


def test_decodeStacked_equalTensorsStack_othersDoNot():
    same = [tensor_value([k, k + 1], np.float32) for k in range(3)]
    stacked = codec.decode_stacked(same)
    assert stacked.shape == (3, 2) and stacked.dtype == np.float32 and stacked[2, 1] == 3
    assert codec.decode_stacked([tensor_value([0.0], np.float32), tensor_value([0.0], np.float64)]) is None
    assert codec.decode_stacked([tensor_value([0.0], np.float32), tensor_value([0.0, 1.0], np.float32)]) is None
    assert codec.decode_stacked([pb.Value()]) is None
