"""Several clients at once over real sockets: independent instances, shared instances, and batches."""

import threading

import grpc
import gymnasium as gym
import numpy as np
from conftest import TIMEOUT, make, reset, step, tensor_value

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

CLIENTS = 8
STEPS = 40


def run_threads(target, count: int) -> list:
    results: list = [None] * count
    errors: list = []

    def run(index: int) -> None:
        try:
            results[index] = target(index)
        except Exception as error:  # noqa: BLE001 - collected and asserted by the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    return results


def local_rollout(seed: int, actions: np.ndarray) -> list[float]:
    env = gym.make("Pendulum-v1")
    env.reset(seed=seed)
    rewards = [float(env.step(action)[1]) for action in actions]
    env.close()
    return rewards


def test_manyClients_ownInstances_matchInProcessRollouts(server):
    def client(seed: int) -> tuple[list[float], np.ndarray]:
        actions = np.random.default_rng(seed).uniform(-2, 2, (STEPS, 1)).astype(np.float32)
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            instance_id = make(stub, "Pendulum-v1").instance_id
            reset(stub, instance_id, seed=seed)
            rewards = [step(stub, instance_id, tensor_value(a)).reward for a in actions]
            stub.Close(pb.CloseRequest(instance_id=instance_id), timeout=TIMEOUT)
        return rewards, actions

    for seed, (rewards, actions) in enumerate(run_threads(client, CLIENTS)):
        assert rewards == local_rollout(seed, actions)


def test_manyClients_oneSharedInstance_everyStepCounted(stub, server):
    instance_id = make(stub, "GymlinkTest/DictObs-v0").instance_id
    reset(stub, instance_id)
    per_client = 2  # 4 clients x 2 steps stay within the 10-step time limit

    def client(_: int) -> list[int]:
        with grpc.insecure_channel(server.target) as channel:
            own = pb_grpc.EnvServiceStub(channel)
            return [step(own, instance_id, tensor_value(1)).info.fields["steps"].int_value
                    for _ in range(per_client)]

    counts = sorted(c for result in run_threads(lambda i: client(i), 4) for c in result)
    # The instance lock serialises the steps: each step saw a distinct step count.
    assert counts == list(range(1, 4 * per_client + 1))


def test_stepBatch_manyInstances_equalsStepByStep(stub):
    seeds = [3, 4, 5]
    ids = [make(stub, "Pendulum-v1").instance_id for _ in seeds]
    for instance_id, seed in zip(ids, seeds, strict=True):
        reset(stub, instance_id, seed=seed)
    rng = np.random.default_rng(0)
    actions = rng.uniform(-2, 2, (10, len(ids), 1)).astype(np.float32)
    rewards = []
    for row in actions:
        batch = pb.StepBatchRequest(steps=[pb.StepRequest(instance_id=i, action=tensor_value(a))
                                           for i, a in zip(ids, row, strict=True)])
        rewards.append([r.reward for r in stub.StepBatch(batch, timeout=TIMEOUT).results])
    for column, seed in enumerate(seeds):
        assert [row[column] for row in rewards] == local_rollout(seed, actions[:, column])
    observation = stub.StepBatch(pb.StepBatchRequest(steps=[pb.StepRequest(
        instance_id=ids[0], action=tensor_value([0.0], np.float32))]), timeout=TIMEOUT).results[0].observation
    assert codec.decode_value(observation).dtype == np.float32


def test_resetSeedZero_isASeed(stub):
    first, second = (make(stub, "Pendulum-v1").instance_id for _ in range(2))
    a = codec.decode_value(reset(stub, first, seed=0).observation)
    b = codec.decode_value(reset(stub, second, seed=0).observation)
    assert np.array_equal(a, b)
    assert np.array_equal(a, gym.make("Pendulum-v1").reset(seed=0)[0])
