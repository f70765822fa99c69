"""The lockstep Session stream: answers in order, errors do not end it, and its instances die with it."""

import queue
import threading
import time

import grpc
import numpy as np
import pytest
from conftest import TIMEOUT, start_server, tensor_value

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

_END = object()


class Session:
    """A lockstep client of the Session stream: send one request, wait for its response."""

    def __init__(self, stub: pb_grpc.EnvServiceStub, timeout: float = TIMEOUT) -> None:
        self._requests: queue.Queue = queue.Queue()
        self.call = stub.Session(iter(self._requests.get, _END), timeout=timeout)
        self._next_id = 0

    def send(self, **op) -> pb.SessionResponse:
        self._next_id += 1
        self._requests.put(pb.SessionRequest(request_id=self._next_id, **op))
        response = next(self.call)
        assert response.request_id == self._next_id
        return response

    def end(self) -> None:
        self._requests.put(_END)
        assert list(self.call) == []


@pytest.fixture()
def own_server():
    server = start_server()
    yield server
    server.stop(0)


@pytest.fixture()
def own_stub(own_server):
    with grpc.insecure_channel(own_server.target) as channel:
        yield pb_grpc.EnvServiceStub(channel)


def wait_until(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_session_makeResetStepClose_answersEachInOrder(own_server, own_stub):
    session = Session(own_stub)
    made = session.send(make=pb.MakeRequest(env_id="GymlinkTest/DictObs-v0")).make
    # Gymnasium sorts the keys of a Dict built from a plain dict; the protocol keeps the space's order.
    assert [e.key for e in made.observation_space.dict.entries] == ["count", "flags", "grid", "pair", "position"]
    assert made.spec.max_episode_steps == 10
    reset = session.send(reset=pb.ResetRequest(instance_id=made.instance_id, seed=0, options=codec.encode_json_map(
        {"level": 2}))).reset
    assert codec.decode_json_map(reset.info) == {"options": {"level": 2}, "seed": 0}
    outcomes = [session.send(step=pb.StepRequest(instance_id=made.instance_id, action=tensor_value(2))).step
                for _ in range(10)]
    assert [o.truncated for o in outcomes] == [False] * 9 + [True]
    assert not any(o.terminated for o in outcomes)
    info = codec.decode_json_map(outcomes[-1].info)
    assert info["nested"] == {"list": [1, 2.5, "three", None, True], "map": {"a": 7}}
    assert info["array"].tolist() == [0.0, 10.0, 20.0]
    assert session.send(close=pb.CloseRequest(instance_id=made.instance_id)).HasField("close")
    session.end()
    assert len(own_server.table) == 0


def test_session_error_comesBackAsErrorAndSessionGoesOn(own_stub):
    session = Session(own_stub)
    error = session.send(make=pb.MakeRequest(env_id="Pendulm-v1")).error
    assert error.code == grpc.StatusCode.NOT_FOUND.value[0]
    assert error.message.startswith("environment 'Pendulm-v1' is not registered; did you mean 'Pendulum-v1'")
    made = session.send(make=pb.MakeRequest(env_id="Pendulum-v1")).make
    error = session.send(step=pb.StepRequest(instance_id=made.instance_id, action=tensor_value([0.0], np.float32)))
    assert error.error.code == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    assert session.send().error.message == "session request has no operation set"
    assert session.send(reset=pb.ResetRequest(instance_id=made.instance_id, seed=1)).HasField("reset")
    session.end()


def test_session_stepBatch_stepsEveryInstance(own_stub):
    session = Session(own_stub)
    ids = [session.send(make=pb.MakeRequest(env_id="Pendulum-v1")).make.instance_id for _ in range(3)]
    for seed, instance_id in enumerate(ids):
        session.send(reset=pb.ResetRequest(instance_id=instance_id, seed=seed))
    actions = [np.array([a], np.float32) for a in (-1.0, 0.0, 1.0)]
    batch = session.send(step_batch=pb.StepBatchRequest(steps=[
        pb.StepRequest(instance_id=i, action=tensor_value(a)) for i, a in zip(ids, actions, strict=True)])).step_batch
    assert len(batch.results) == 3
    observations = [codec.decode_value(r.observation) for r in batch.results]
    assert len({o.tobytes() for o in observations}) == 3
    session.end()


def test_session_streamEnds_closesItsInstances(own_server, own_stub):
    session = Session(own_stub)
    for _ in range(2):
        session.send(make=pb.MakeRequest(env_id="CartPole-v1"))
    assert len(own_server.table) == 2
    session.end()
    assert wait_until(lambda: len(own_server.table) == 0)


def test_session_clientCancels_closesItsInstances(own_server, own_stub):
    session = Session(own_stub)
    session.send(make=pb.MakeRequest(env_id="CartPole-v1"))
    assert len(own_server.table) == 1
    session.call.cancel()
    assert wait_until(lambda: len(own_server.table) == 0)


def test_session_clientDisappears_closesItsInstances(own_server):
    channel = grpc.insecure_channel(own_server.target)
    session = Session(pb_grpc.EnvServiceStub(channel))
    session.send(make=pb.MakeRequest(env_id="Pendulum-v1"))
    assert len(own_server.table) == 1
    channel.close()  # no half-close, no cancel message of our own: the connection just goes away
    assert wait_until(lambda: len(own_server.table) == 0)


def test_session_deadlinePasses_closesItsInstances(own_server, own_stub):
    session = Session(own_stub, timeout=0.5)
    session.send(make=pb.MakeRequest(env_id="Pendulum-v1"))
    assert wait_until(lambda: len(own_server.table) == 0)


def test_session_unaryInstancesSurviveOtherSessions(own_server, own_stub):
    unary = own_stub.Make(pb.MakeRequest(env_id="Pendulum-v1"), timeout=TIMEOUT)
    session = Session(own_stub)
    session.send(reset=pb.ResetRequest(instance_id=unary.instance_id, seed=0))
    session.end()
    assert [i.instance_id for i in own_server.table.list()] == [unary.instance_id]


def test_session_manyConcurrentSessions_eachClosesOnlyItsOwn(own_server, own_stub):
    errors = []

    def run(seed: int) -> None:
        try:
            session = Session(own_stub)
            made = session.send(make=pb.MakeRequest(env_id="Pendulum-v1")).make
            session.send(reset=pb.ResetRequest(instance_id=made.instance_id, seed=seed))
            rng = np.random.default_rng(seed)
            for _ in range(20):
                action = rng.uniform(-2, 2, 1).astype(np.float32)
                assert session.send(step=pb.StepRequest(instance_id=made.instance_id,
                                                        action=tensor_value(action))).HasField("step")
            session.end()
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert wait_until(lambda: len(own_server.table) == 0)


def test_session_cancelledDuringSlowStep_othersStillServed_thenInstanceClosed(own_server, own_stub):
    session = Session(own_stub)
    made = session.send(make=pb.MakeRequest(env_id="GymlinkTest/Slow-v0",
                                            kwargs=codec.encode_json_map({"step_seconds": 1.0}))).make
    session.send(reset=pb.ResetRequest(instance_id=made.instance_id))
    session._requests.put(pb.SessionRequest(request_id=99, step=pb.StepRequest(
        instance_id=made.instance_id, action=tensor_value([0.0], np.float32))))
    time.sleep(0.2)  # the step is now sleeping inside the environment, holding the instance lock
    session.call.cancel()
    # Closing the cancelled session's instance waits for that step; it must not hold up anyone else meanwhile.
    assert own_stub.GetServerInfo(pb.GetServerInfoRequest(), timeout=0.5).protocol_version == "gymlink.v1/1.0"
    assert wait_until(lambda: len(own_server.table) == 0)
