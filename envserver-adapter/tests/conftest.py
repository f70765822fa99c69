"""Shared fixtures: real gymlink servers on 127.0.0.1 free ports, and clients talking to them over real sockets."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import numpy as np
import pytest

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.server import EnvServer, ServerConfig

TIMEOUT = 10.0
"""Deadline of every RPC a test makes, in seconds."""


def start_server(**overrides) -> EnvServer:
    """Starts an in-process server on a free loopback port with the test environments."""
    settings = {"port": 0, "test_envs": True, "grace": 0.0} | overrides
    allowlist = settings.pop("allowlist", None)
    server = EnvServer(ServerConfig(**settings), allowlist=allowlist)
    server.start()
    return server


@pytest.fixture(scope="session")
def server() -> Iterator[EnvServer]:
    """One shared server for tests that only need a server."""
    server = start_server()
    yield server
    server.stop(0)


@pytest.fixture()
def stub(server: EnvServer) -> Iterator[pb_grpc.EnvServiceStub]:
    """A client of the shared server over its own channel."""
    with grpc.insecure_channel(server.target) as channel:
        yield pb_grpc.EnvServiceStub(channel)


def tensor_value(array, dtype=None) -> pb.Value:
    """A Value holding ``array`` as a tensor."""
    return pb.Value(tensor=codec.encode_tensor(np.asarray(array, dtype=dtype)))


def make(stub: pb_grpc.EnvServiceStub, env_id: str, **kwargs) -> pb.MakeResponse:
    """Makes an instance with unary Make."""
    return stub.Make(pb.MakeRequest(env_id=env_id, kwargs=codec.encode_json_map(kwargs)), timeout=TIMEOUT)


def reset(stub: pb_grpc.EnvServiceStub, instance_id: str, seed: int | None = 0) -> pb.ResetResponse:
    """Resets an instance with unary Reset."""
    request = pb.ResetRequest(instance_id=instance_id)
    if seed is not None:
        request.seed = seed
    return stub.Reset(request, timeout=TIMEOUT)


def step(stub: pb_grpc.EnvServiceStub, instance_id: str, action: pb.Value, timeout: float = TIMEOUT) -> pb.StepResponse:
    """Steps an instance with unary Step."""
    return stub.Step(pb.StepRequest(instance_id=instance_id, action=action), timeout=timeout)
