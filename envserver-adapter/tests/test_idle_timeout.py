"""The idle timeout frees abandoned instances, both in the table (fake clock) and in a running server."""

import time

import grpc
import numpy as np
import pytest
from conftest import make, reset, start_server, step, tensor_value

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.errors import InstanceNotFound
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.registry import Allowlist


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reapIdle_closesOnlyInstancesIdleLongerThanTimeout():
    clock = FakeClock()
    table = InstanceTable(Allowlist(["CartPole-v1"]), idle_timeout=10.0, clock=clock)
    old = table.make("CartPole-v1")
    clock.now += 6
    fresh = table.make("CartPole-v1")
    clock.now += 5
    assert table.reap_idle() == [old.instance_id]
    assert [i.instance_id for i in table.list()] == [fresh.instance_id]
    with pytest.raises(InstanceNotFound, match=rf"^instance '{old.instance_id}' of 'CartPole-v1' was closed after "
                                               r"being idle for more than 10 s$"):
        table.get(old.instance_id)
    assert old.closed


def test_reapIdle_useResetsTheIdleClock():
    clock = FakeClock()
    table = InstanceTable(Allowlist(["CartPole-v1"]), idle_timeout=10.0, clock=clock)
    instance = table.make("CartPole-v1")
    clock.now += 8
    instance.reset(seed=0)
    clock.now += 8
    assert table.reap_idle() == []
    clock.now += 3
    assert table.reap_idle() == [instance.instance_id]


def test_reapIdle_skipsBusyInstance():
    clock = FakeClock()
    table = InstanceTable(Allowlist(["CartPole-v1"]), idle_timeout=1.0, clock=clock)
    instance = table.make("CartPole-v1")
    clock.now += 5
    with instance.lock:
        assert table.reap_idle() == []
    assert table.reap_idle() == [instance.instance_id]


def test_reapIdle_zeroTimeout_neverReaps():
    clock = FakeClock()
    table = InstanceTable(Allowlist(["CartPole-v1"]), idle_timeout=0, clock=clock)
    table.make("CartPole-v1")
    clock.now += 1e9
    assert table.reap_idle() == []


def test_server_abandonedInstance_isFreedAndReportedExpired():
    server = start_server(idle_timeout=0.3)
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            abandoned = make(stub, "Pendulum-v1").instance_id
            kept = make(stub, "Pendulum-v1").instance_id
            reset(stub, kept)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and len(server.table) == 2:
                step(stub, kept, tensor_value([0.0], np.float32))
                time.sleep(0.05)
            assert [i.instance_id for i in server.table.list()] == [kept]
            with pytest.raises(grpc.RpcError) as caught:
                reset(stub, abandoned)
            assert caught.value.code() == grpc.StatusCode.NOT_FOUND
            assert caught.value.details() == (f"instance '{abandoned}' of 'Pendulum-v1' was closed after being idle "
                                              "for more than 0.3 s")
    finally:
        server.stop(0)


def test_reapIdle_leavesSessionInstancesToTheirStream():
    clock = FakeClock()
    table = InstanceTable(Allowlist(["CartPole-v1"]), idle_timeout=1.0, clock=clock)
    owned = table.make("CartPole-v1", owner="session-1")
    unowned = table.make("CartPole-v1")
    clock.now += 5
    assert table.reap_idle() == [unowned.instance_id]
    assert table.list() == [owned]
