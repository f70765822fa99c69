"""Bounded resources: idle sessions cannot lock others out, health checks always answer, quotas per caller, HTTP bounds.

Regressions for issue 9, defect 6: 80 idle session streams took every worker (every call, the health check too, got
RESOURCE_EXHAUSTED), one caller could hold every instance slot, 120 idle TCP connections blocked the HTTP port, and
waitress accepted 1 GB bodies.
"""

import socket
import threading
import time

import grpc
import pytest
from conftest import TIMEOUT, make, start_server
from grpc_health.v1 import health_pb2, health_pb2_grpc

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.http_api import HttpServer, create_app
from gymlink_envserver.http_sessions import OpenSessions
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.registry import Allowlist


def idle_session(stub: pb_grpc.EnvServiceStub, release: threading.Event, first: pb.SessionRequest | None = None):
    """Opens a session stream that sends ``first`` (if any) and then nothing until ``release`` is set."""

    def requests():
        if first is not None:
            yield first
        release.wait(60)

    return stub.Session(requests(), timeout=60)


def health(channel) -> int:
    return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def test_idleSessionsHoldEverySlot_othersGetResourceExhausted_healthStillServes_thenReaped():
    server = start_server(max_workers=4, empty_session_timeout=1.5)
    release = threading.Event()
    try:
        with grpc.insecure_channel(server.target) as channel:
            stub = pb_grpc.EnvServiceStub(channel)
            streams = [idle_session(stub, release) for _ in range(4)]
            wait_for(lambda: len(server.sessions) == 4)
            with pytest.raises(grpc.RpcError) as caught:
                stub.GetServerInfo(pb.GetServerInfoRequest(), timeout=TIMEOUT)
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert caught.value.details().startswith("the server is busy: all 4 call slots are taken")
            assert health(channel) == health_pb2.HealthCheckResponse.SERVING
            # Silent sessions that hold nothing are closed, and the slots come back.
            wait_for(lambda: len(server.sessions) == 0)
            for stream in streams:
                with pytest.raises(grpc.RpcError) as ended:
                    list(stream)
                assert ended.value.code() == grpc.StatusCode.CANCELLED
            assert make(stub, "Pendulum-v1").instance_id
    finally:
        release.set()
        server.stop(0)


def test_sessionIdleTimeout_closesSessionAndItsInstances():
    server = start_server(session_idle_timeout=1.0, empty_session_timeout=0)
    release = threading.Event()
    try:
        with grpc.insecure_channel(server.target) as channel:
            stream = idle_session(pb_grpc.EnvServiceStub(channel), release,
                                  pb.SessionRequest(request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1")))
            assert next(stream).make.instance_id
            assert len(server.table) == 1
            wait_for(lambda: len(server.table) == 0 and len(server.sessions) == 0)
    finally:
        release.set()
        server.stop(0)


@pytest.fixture()
def tokens(tmp_path):
    path = tmp_path / "tokens"
    path.write_text("alice-token alice\nbob-token bob\n")
    return str(path)


def authed(target: str, token: str) -> grpc.Channel:
    return grpc.intercept_channel(grpc.insecure_channel(target), _Bearer(token))


class _Bearer(grpc.UnaryUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds the bearer token on a plaintext loopback channel (grpc's access-token credentials need TLS)."""

    def __init__(self, token: str) -> None:
        self._metadata = (("authorization", f"Bearer {token}"),)

    def _details(self, details):
        return details._replace(metadata=tuple(details.metadata or ()) + self._metadata)

    def intercept_unary_unary(self, continuation, details, request):  # noqa: D102
        return continuation(self._details(details), request)

    def intercept_stream_stream(self, continuation, details, requests):  # noqa: D102
        return continuation(self._details(details), requests)


def test_instanceQuotaPerPrincipal_defaultHalfOfLimit_othersUnaffected(tokens):
    server = start_server(max_instances=4, tokens=tokens)
    try:
        with authed(server.target, "alice-token") as a, authed(server.target, "bob-token") as b:
            alice, bob = pb_grpc.EnvServiceStub(a), pb_grpc.EnvServiceStub(b)
            make(alice, "CartPole-v1")
            make(alice, "CartPole-v1")
            with pytest.raises(grpc.RpcError) as caught:
                make(alice, "CartPole-v1")
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert caught.value.details() == ("cannot make 'CartPole-v1': 'alice' holds 2 instances, the limit per "
                                              "caller (--max-instances-per-principal) is 2; close instances first")
            assert make(bob, "CartPole-v1").instance_id
    finally:
        server.stop(0)


def test_sessionQuotaPerPrincipal(tokens):
    server = start_server(tokens=tokens, max_sessions_per_principal=1)
    release = threading.Event()
    try:
        with authed(server.target, "alice-token") as a, authed(server.target, "bob-token") as b:
            first = idle_session(pb_grpc.EnvServiceStub(a), release,
                                 pb.SessionRequest(request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1")))
            assert next(first).make.instance_id
            with pytest.raises(grpc.RpcError) as caught:
                list(pb_grpc.EnvServiceStub(a).Session(iter([]), timeout=TIMEOUT))
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert caught.value.details().startswith("'alice' already has 1 open sessions, the limit per caller")
            bobs = list(pb_grpc.EnvServiceStub(b).Session(iter([pb.SessionRequest(
                request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1"))]), timeout=TIMEOUT))
            assert bobs[0].make.instance_id
    finally:
        release.set()
        server.stop(0)


@pytest.fixture()
def http_server():
    table = InstanceTable(Allowlist.build(test_envs=True), max_instances=8)
    server = HttpServer(create_app(OpenSessions(table)), "127.0.0.1", 0, threads=4)
    server.start()
    yield server
    server.stop()
    table.close_all()


def _request(port: int, raw: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as conn:
        conn.sendall(raw)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_http_bodyOverOneMiB_413(http_server):
    # Announces 2 MiB and sends the start: the server answers at once instead of reading (and holding) it all.
    answer = _request(http_server.port, b"POST /v1/envs/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Connection: close\r\nContent-Length: " + str(2 << 20).encode() + b"\r\n\r\n" + b"{" * 1000)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_http_manyIdleConnections_portStillServes(http_server):
    idle = [socket.create_connection(("127.0.0.1", http_server.port), timeout=TIMEOUT) for _ in range(150)]
    try:
        answer = _request(http_server.port, b"GET /v1/envs/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    finally:
        for conn in idle:
            conn.close()
