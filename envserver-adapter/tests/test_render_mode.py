"""The server never renders for a client: every render_mode but none or "rgb_array" is refused, over both transports.

Regression for issue 9, defect 1: Make(Ant-v5, render_mode="human") then Reset made GLFW abort the whole server
(SIGABRT) on a headless host, killing every other client's environments with it.
"""

import grpc
import numpy as np
import pytest
from conftest import TIMEOUT, make, reset, step, tensor_value
from gym_http_oracle import Client
from server_process import ServerProcess

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

REFUSED = ["human", "ansi", "rgb_array_list", "depth_array", "", 1, ["human"], "x" * 5000]


@pytest.mark.parametrize("mode", REFUSED, ids=lambda m: repr(m)[:20])
def test_make_renderModeOtherThanRgbArray_invalidArgumentNamingIt(stub, mode):
    with pytest.raises(grpc.RpcError) as caught:
        make(stub, "CartPole-v1", render_mode=mode)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    message = caught.value.details()
    assert message.startswith("render_mode for 'CartPole-v1' is "), message
    assert message.endswith("expected none or 'rgb_array': the server never renders for a client"), message
    assert len(message) < 250, "echoed input is cut short"


@pytest.mark.parametrize("mode", [None, "rgb_array"])
def test_make_renderModeNoneOrRgbArray_accepted(stub, mode):
    made = make(stub, "CartPole-v1", render_mode=mode)
    reset(stub, made.instance_id)
    step(stub, made.instance_id, tensor_value(1, np.int64))
    stub.Close(pb.CloseRequest(instance_id=made.instance_id), timeout=TIMEOUT)


def test_session_renderModeHuman_errorResponseAndSessionGoesOn(stub):
    requests = [pb.SessionRequest(request_id=1, make=pb.MakeRequest(
                    env_id="CartPole-v1", kwargs=codec.encode_json_map({"render_mode": "human"}))),
                pb.SessionRequest(request_id=2, make=pb.MakeRequest(env_id="CartPole-v1"))]
    first, second = stub.Session(iter(requests), timeout=TIMEOUT)
    assert first.error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert first.error.message.startswith("render_mode for 'CartPole-v1' is 'human'")
    assert second.make.instance_id


def _control(target: str) -> None:
    """A client that makes, resets and steps Pendulum-v1, proving the server still serves."""
    with grpc.insecure_channel(target) as channel:
        control = pb_grpc.EnvServiceStub(channel)
        made = make(control, "Pendulum-v1")
        reset(control, made.instance_id)
        step(control, made.instance_id, tensor_value([0.0], np.float32))
        control.Close(pb.CloseRequest(instance_id=made.instance_id), timeout=TIMEOUT)


def test_mujocoHumanRendering_refusedOverGrpcAndHttp_serverStaysUp():
    pytest.importorskip("mujoco", reason="needs the [mujoco] extra (bin/test installs it)")
    with ServerProcess(http=True) as server:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            with pytest.raises(grpc.RpcError) as caught:
                made = make(stub, "Ant-v5", render_mode="human")
                reset(stub, made.instance_id)  # before the fix: SIGABRT here
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, caught.value.details()
            assert "render_mode for 'Ant-v5' is 'human'" in caught.value.details()
            # rgb_array renders nothing unless asked to, and the server never asks.
            made = make(stub, "Ant-v5", render_mode="rgb_array")
            reset(stub, made.instance_id)
            step(stub, made.instance_id, tensor_value(np.zeros(8), np.float32))
        client = Client(server.http_url)
        status, answer = client.request("POST", "/v1/envs/", {"env_id": "Ant-v5", "kwargs": {"render_mode": "human"}})
        if status == 200:  # before the fix: the reset aborts the server
            client.request("POST", f"/v1/envs/{answer['instance_id']}/reset/", None)
        client.close()
        assert status == 400, answer
        assert answer["message"].startswith("render_mode for 'Ant-v5' is 'human'"), answer
        assert server.alive(), server.log()
        _control(server.target)
