"""StepBatch refuses oversized batches at once and finds repeated ids in O(n).

Regression for issue 9, defect 4: one 4 MB request naming one id 135,000 times burned ~150 s of server CPU in an
O(n^2) duplicate check, slowed every other client ~12x and ran on after the client's deadline.
"""

import grpc
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, start_server, step, tensor_value

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc


@pytest.fixture()
def unlimited():
    """A server without an instance limit, so only the duplicate check stands between a huge batch and the CPU."""
    server = start_server(max_instances=0)
    with grpc.insecure_channel(server.target) as channel:
        yield pb_grpc.EnvServiceStub(channel)
    server.stop(0)


def test_stepBatch_oneIdRepeated120000Times_invalidArgumentWithinDeadline(unlimited):
    made = make(unlimited, "CartPole-v1")
    reset(unlimited, made.instance_id)
    one = pb.StepRequest(instance_id=made.instance_id, action=tensor_value(0, np.int64))
    batch = pb.StepBatchRequest(steps=[one] * 120_000)
    with pytest.raises(grpc.RpcError) as caught:
        unlimited.StepBatch(batch, timeout=TIMEOUT)  # the O(n^2) check took minutes: DEADLINE_EXCEEDED
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, caught.value.details()
    assert caught.value.details() == (f"step_batch names 1 instance(s) more than once ('{made.instance_id}'), "
                                      "expected distinct ids")
    step(unlimited, made.instance_id, tensor_value(1, np.int64))  # nothing stepped; the instance is fine


def test_stepBatch_manyRepeatedIds_messageNamesThreeAndStaysShort(unlimited):
    steps = [pb.StepRequest(instance_id=f"{i:04d}" + "x" * 500, action=tensor_value(0)) for i in range(10)] * 2
    with pytest.raises(grpc.RpcError) as caught:
        unlimited.StepBatch(pb.StepBatchRequest(steps=steps), timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    message = caught.value.details()
    assert message.startswith("step_batch names 10 instance(s) more than once ('0000xxx"), message
    assert message.endswith("...), expected distinct ids") and len(message) < 250, message


def test_stepBatch_largerThanInstanceLimit_invalidArgumentBeforeDecoding():
    server = start_server(max_instances=4)
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            # Malformed actions: a batch that were decoded would fail on them, not on its size.
            steps = [pb.StepRequest(instance_id=str(i), action=pb.Value()) for i in range(5)]
            with pytest.raises(grpc.RpcError) as caught:
                stub.StepBatch(pb.StepBatchRequest(steps=steps), timeout=TIMEOUT)
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert caught.value.details() == ("step_batch has 5 steps, expected at most 4 "
                                              "(the server's instance limit)")
    finally:
        server.stop(0)
