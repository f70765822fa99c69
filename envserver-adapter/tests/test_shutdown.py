"""SIGTERM stops the server within its grace period even while a call runs that would never end in time.

Regression for issue 9, defect 7: a server with a long call in flight was still alive 60 s after SIGTERM.
"""

import signal
import threading
import time

import grpc
import numpy as np
import pytest
from conftest import make, reset, tensor_value
from gym_http_oracle import Client
from server_process import ServerProcess

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

GRACE = 1.0
SLOW_STEP = 60.0  # longer than the test waits: the server must not wait for it


def _grpc_slow_step(server: ServerProcess, started: threading.Event, outcome: list) -> None:
    with grpc.insecure_channel(server.target) as channel:
        stub = pb_grpc.EnvServiceStub(channel)
        made = make(stub, "GymlinkTest/Slow-v0", step_seconds=SLOW_STEP)
        reset(stub, made.instance_id)
        started.set()
        try:
            stub.Step(pb.StepRequest(instance_id=made.instance_id, action=tensor_value([0.0], np.float32)),
                      timeout=SLOW_STEP * 2)
        except grpc.RpcError as error:
            outcome.append(error.code())


def _http_slow_step(server: ServerProcess, started: threading.Event, outcome: list) -> None:
    client = Client(server.http_url, timeout=SLOW_STEP * 2)
    instance_id = client.env_create("GymlinkTest/Slow-v0", kwargs={"step_seconds": SLOW_STEP})
    client.env_reset(instance_id)
    started.set()
    try:
        client.env_step(instance_id, [0.0])
    except Exception as error:  # noqa: BLE001 - the connection is cut; which exception does not matter
        outcome.append(type(error).__name__)


@pytest.mark.parametrize("slow_step", [_grpc_slow_step, _http_slow_step], ids=["grpc", "http"])
def test_sigterm_longCallInFlight_exitsSoonAfterGracePeriod(slow_step):
    with ServerProcess("--test-envs", "--grace", str(GRACE), http=True) as server:
        started, outcome = threading.Event(), []
        caller = threading.Thread(target=slow_step, args=(server, started, outcome), daemon=True)
        caller.start()
        assert started.wait(30)
        time.sleep(0.5)  # the step is now inside the environment
        sent = time.monotonic()
        code = server.stop(signal.SIGTERM, timeout=GRACE + 20)
        assert code == 0, server.log()
        assert time.monotonic() - sent < GRACE + 15
        assert "exiting with a call still running after the 1 s grace period" in server.log()
        caller.join(10)
        assert outcome, "the slow call ended with an error, not a result"
