"""The bad-input suite: over 60 hand-made bad requests over gRPC (unary and session) and HTTP against one real server.

Each case asserts the status (gRPC code or HTTP status), that the message names the thing that is wrong and stays
short, and then that a control client can still make, reset and step an environment on the same server: one bad
caller never stops the others. Every defect of issue 9 has cases here.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

import grpc
import numpy as np
import pytest
from conftest import TIMEOUT, tensor_value
from gym_http_oracle import Client
from server_process import ServerProcess

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

MAX_MESSAGE = 300
"""Longest acceptable error message: input is echoed cut short."""
LIMIT = 8
"""The suite server's --max-instances."""
TOKEN = "suite-token-123456"


@dataclass
class Ctx:
    """What a case needs: stubs on the plain and the token server, HTTP clients, and fresh instances."""

    stub: pb_grpc.EnvServiceStub
    channel: grpc.Channel
    http: Client
    secure_target: str
    secure_http: Client

    def fresh(self, env_id: str = "Pendulum-v1", reset: bool = True, **kwargs) -> str:
        made = self.stub.Make(pb.MakeRequest(env_id=env_id, kwargs=codec.encode_json_map(kwargs)), timeout=TIMEOUT)
        if reset:
            self.stub.Reset(pb.ResetRequest(instance_id=made.instance_id, seed=0), timeout=TIMEOUT)
        return made.instance_id

    def http_fresh(self, env_id: str = "Pendulum-v1", reset: bool = True) -> str:
        instance_id = self.http.env_create(env_id)
        if reset:
            self.http.env_reset(instance_id)
        return instance_id


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    tokens = tmp_path_factory.mktemp("suite") / "tokens"
    tokens.write_text(f"{TOKEN} suite\n")
    with ServerProcess("--test-envs", "--max-instances", str(LIMIT), "--max-instances-per-principal", "0",
                       http=True) as plain, \
            ServerProcess("--tokens", str(tokens), http=True) as secure, \
            grpc.insecure_channel(plain.target) as channel:
        context = Ctx(pb_grpc.EnvServiceStub(channel), channel, Client(plain.http_url), secure.target,
                      Client(secure.http_url))
        context.plain = plain
        yield context
        context.http.close()
        context.secure_http.close()
        assert plain.alive() and secure.alive(), plain.log()[-2000:]


def grpc_status(call: Callable[[], object]) -> tuple[str, str]:
    try:
        call()
    except grpc.RpcError as error:
        return error.code().name, error.details() or ""
    return "OK", ""


def session_status(ctx: Ctx, request: pb.SessionRequest | bytes) -> tuple[str, str]:
    method = ctx.channel.stream_stream("/gymlink.v1.EnvService/Session",
                                       request_serializer=lambda m: m if isinstance(m, bytes)
                                       else m.SerializeToString(),
                                       response_deserializer=pb.SessionResponse.FromString)
    answers = list(method(iter([request]), timeout=TIMEOUT))
    error = answers[0].error
    return (grpc.StatusCode(next(c for c in grpc.StatusCode if c.value[0] == error.code)).name, error.message) \
        if answers[0].WhichOneof("result") == "error" else ("OK", "")


def http_status(client: Client, method: str, path: str, body=None, raw: bytes | None = None,
                headers: dict | None = None) -> tuple[int, str]:
    if headers:
        data = raw if raw is not None else (json.dumps(body).encode() if method == "POST" else None)
        client.connection.request(method, path, body=data, headers={"Content-type": "application/json", **headers})
        response = client.connection.getresponse()
        text = response.read()
        status, answer = response.status, (json.loads(text) if text else None)
    else:
        status, answer = client.request(method, path, body, raw=raw)
    message = answer.get("message", "") if isinstance(answer, dict) else str(answer or "")
    return status, message


def oversized_body_status(client: Client, size: int) -> tuple[int, str]:
    """Announces a body of ``size`` bytes on a connection of its own and sends only its start.

    The server answers 413 without reading the body and closes the connection; a client still sending its body then
    sees a connection reset (how soon depends on the machine's load), and a shared keep-alive connection would be
    broken for the cases after this one.
    """
    host, port = client.connection.host, client.connection.port
    with socket.create_connection((host, port), timeout=TIMEOUT) as conn:
        conn.sendall(b"POST /v1/envs/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: " + str(size).encode() + b"\r\n\r\n" + b'{"env_id": "' + b"x" * 1000)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode(errors="replace").strip()


def action(value, dtype=np.float32) -> pb.Value:
    return tensor_value(value, dtype)


def make_req(env_id: str, **kwargs) -> pb.MakeRequest:
    return pb.MakeRequest(env_id=env_id, kwargs=codec.encode_json_map(kwargs))


def deep_value(depth: int) -> bytes:
    value = pb.Value()
    inner = value
    for _ in range(depth):
        inner = inner.tuple.items.add()
    data = value.SerializeToString()
    return b"\x12" + _varint(len(data)) + data


def _varint(n: int) -> bytes:
    out = b""
    while n >= 0x80:
        out, n = out + bytes([n & 0x7F | 0x80]), n >> 7
    return out + bytes([n])


def raw_unary(ctx: Ctx, method: str, payload: bytes) -> tuple[str, str]:
    return grpc_status(lambda: ctx.channel.unary_unary(f"/gymlink.v1.EnvService/{method}")(payload, timeout=TIMEOUT))


def secure_grpc(ctx: Ctx, token: str | None) -> tuple[str, str]:
    with grpc.insecure_channel(ctx.secure_target) as channel:
        metadata = (("authorization", token),) if token is not None else None
        return grpc_status(lambda: pb_grpc.EnvServiceStub(channel).Make(pb.MakeRequest(env_id="Pendulum-v1"),
                                                                        timeout=TIMEOUT, metadata=metadata))


def crash(ctx: Ctx) -> tuple[str, str]:
    """Steps GymlinkTest/Crash-v0 until it raises (its 3rd step)."""
    instance_id = ctx.fresh("GymlinkTest/Crash-v0")
    request = pb.StepRequest(instance_id=instance_id, action=action([0.0]))
    for _ in range(2):
        ctx.stub.Step(request, timeout=TIMEOUT)
    return grpc_status(lambda: ctx.stub.Step(request, timeout=TIMEOUT))


def closed(ctx: Ctx) -> str:
    instance_id = ctx.fresh()
    ctx.stub.Close(pb.CloseRequest(instance_id=instance_id), timeout=TIMEOUT)
    return instance_id


def ended(ctx: Ctx) -> str:
    made = ctx.stub.Make(pb.MakeRequest(env_id="CartPole-v1", max_episode_steps=1), timeout=TIMEOUT)
    ctx.stub.Reset(pb.ResetRequest(instance_id=made.instance_id, seed=0), timeout=TIMEOUT)
    ctx.stub.Step(pb.StepRequest(instance_id=made.instance_id, action=action(0, np.int64)), timeout=TIMEOUT)
    return made.instance_id


def session_owned(ctx: Ctx) -> str:
    """An instance made in another session that is still open (the case's caller is a different client)."""
    import threading

    release, ready, holder = threading.Event(), threading.Event(), {}

    def requests():
        yield pb.SessionRequest(request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1"))
        release.wait(30)

    def run():
        stream = ctx.stub.Session(requests(), timeout=TIMEOUT * 3)
        holder["id"] = next(stream).make.instance_id
        ready.set()
        release.wait(30)
        stream.cancel()

    threading.Thread(target=run, daemon=True).start()
    assert ready.wait(TIMEOUT)
    ctx.release = release
    return holder["id"]


G, S, H = "grpc", "session", "http"
BIG = "x" * 1_000_000
CASES: list[tuple[str, str, Callable[[Ctx], tuple], object, str]] = [
    # --- gRPC unary: make (defects 1, 3, 8) ---
    ("make unknown id", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("Pendulm-v1"), timeout=TIMEOUT)),
     "NOT_FOUND", r"^environment 'Pendulm-v1' is not registered; did you mean 'Pendulum-v1'"),
    ("make not allowed", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("phys2d/CartPole-v0"),
                                                                      timeout=TIMEOUT)),
     "PERMISSION_DENIED", r"'phys2d/CartPole-v0' is registered but not allowed.*--allow"),
    ("make entry point", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("os:system"), timeout=TIMEOUT)),
     "PERMISSION_DENIED", r"^entry point 'os:system' is not allowed"),
    ("make malformed id", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("not a valid id!"), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^Attempted to look up malformed environment ID 'not a valid id!'"),
    ("make empty id", G, lambda c: grpc_status(lambda: c.stub.Make(make_req(""), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^env_id is empty"),
    ("make 1 MB id", G, lambda c: grpc_status(lambda: c.stub.Make(make_req(BIG), timeout=TIMEOUT)),
     "NOT_FOUND", r"^environment 'xxxx.*\.\.\.' is not registered$"),
    ("make render human", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("CartPole-v1", render_mode="human"),
                                                                       timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^render_mode for 'CartPole-v1' is 'human'"),
    ("make render ansi", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("FrozenLake-v1", render_mode="ansi"),
                                                                      timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^render_mode for 'FrozenLake-v1' is 'ansi'"),
    ("make kwarg not allowed", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("Pendulum-v1", x=1),
                                                                            timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'x' is not allowed for 'Pendulum-v1'"),
    ("make g str", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("Pendulum-v1", g="str"), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'g' for 'Pendulum-v1' is 'str', expected a number"),
    ("make g nan", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("Pendulum-v1", g=float("nan")),
                                                                timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'g' for 'Pendulum-v1' is nan"),
    ("make huge desc", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("FrozenLake-v1", desc=["SG" * 400] * 800),
                                                                    timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'desc' for 'FrozenLake-v1' is \['SGSG.*\.\.\., expected a list"),
    ("make desc without goal", G, lambda c: grpc_status(lambda: c.stub.Make(
        make_req("FrozenLake-v1", desc=["SF", "FF"]), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'desc' for 'FrozenLake-v1'.*containing 'SG'$"),
    ("make frame_skip huge", G, lambda c: grpc_status(lambda: c.stub.Make(
        make_req("Ant-v5", frame_skip=2147483647), timeout=TIMEOUT)),
     "INVALID_ARGUMENT|NOT_FOUND", r"frame_skip|'Ant-v5' is not registered"),
    ("make xml_file", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("Hopper-v5", xml_file="/etc/passwd"),
                                                                   timeout=TIMEOUT)),
     "INVALID_ARGUMENT|NOT_FOUND", r"xml_file|'Hopper-v5' is not registered"),
    ("make max steps 0", G, lambda c: grpc_status(lambda: c.stub.Make(
        pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=0), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^max_episode_steps for 'Pendulum-v1' is 0, expected > 0$"),
    ("make max steps negative", G, lambda c: grpc_status(lambda: c.stub.Make(
        pb.MakeRequest(env_id="Pendulum-v1", max_episode_steps=-5), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^max_episode_steps for 'Pendulum-v1' is -5"),
    ("make text space", G, lambda c: grpc_status(lambda: c.stub.Make(make_req("GymlinkTest/Crash-v0", x=1),
                                                                     timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^kwarg 'x' is not allowed for 'GymlinkTest/Crash-v0'"),
    # --- gRPC unary: reset, step, batch, close (defects 4, 5, 8) ---
    ("reset unknown", G, lambda c: grpc_status(lambda: c.stub.Reset(pb.ResetRequest(instance_id="nope"),
                                                                    timeout=TIMEOUT)),
     "NOT_FOUND", r"^instance 'nope' is not known to this server$"),
    ("reset 1 MB id", G, lambda c: grpc_status(lambda: c.stub.Reset(pb.ResetRequest(instance_id=BIG),
                                                                    timeout=TIMEOUT)),
     "NOT_FOUND", r"^instance 'xxx.*\.\.\.' is not known to this server$"),
    ("reset seed -1", G, lambda c: grpc_status(lambda: c.stub.Reset(pb.ResetRequest(instance_id=c.fresh(), seed=-1),
                                                                    timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^seed for instance '\w+' of 'Pendulum-v1' is -1, expected an integer"),
    ("reset bad options", G, lambda c: grpc_status(lambda: c.stub.Reset(pb.ResetRequest(
        instance_id=c.fresh(), options=codec.encode_json_map({"x_init": "abc"})), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^reset options \{'x_init': 'abc'\} for instance .* were refused: ValueError"),
    ("step before reset", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(reset=False), action=action([0.0])), timeout=TIMEOUT)),
     "FAILED_PRECONDITION", r"needs reset: reset\(\) has not been called yet$"),
    ("step after end", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=ended(c), action=action(0, np.int64)), timeout=TIMEOUT)),
     "FAILED_PRECONDITION", r"of 'CartPole-v1' needs reset: the episode ended \(truncated\)$"),
    ("step closed", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=closed(c), action=action([0.0])), timeout=TIMEOUT)),
     "NOT_FOUND", r"of 'Pendulum-v1' was closed by the client$"),
    ("step wrong shape", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=action([0.0, 1.0, 2.0])), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^action for 'Pendulum-v1' has shape \[3\], expected \[1\]$"),
    ("step NaN", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=action([np.nan])), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^action for 'Pendulum-v1' is NaN at index 0$"),
    ("step out of bounds", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=action([9.0])), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^action for 'Pendulum-v1' has 9\.0 at index 0, above the upper bound 2\.0$"),
    ("step empty value", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value()), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^value is empty, expected a tensor, tuple or dict$"),
    ("step dtype unset", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(shape=[1], data=b"\0" * 4))), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor dtype DTYPE_UNSPECIFIED is not a valid element type$"),
    ("step dtype unknown", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(dtype=99, shape=[1], data=b"\0" * 4))),
        timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor dtype 99 is not a valid element type$"),
    ("step byte count", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[1], data=b"\0"))),
        timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor of shape \[1\] and dtype float32 has 1 data bytes, expected 4$"),
    ("step ndim 65", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[1] * 65, data=b"\0" * 4))),
        timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor has 65 dimensions, expected at most 32$"),
    ("step zero-size overflow", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[0, 2**62, 2**62]))),
        timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor has shape \[0, 4611686018427387904, 4611686018427387904\], whose non-zero"),
    ("step negative dim", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=c.fresh(), action=pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[-1]))), timeout=TIMEOUT)),
     "INVALID_ARGUMENT", r"^tensor has shape \[-1\] with a negative dimension$"),
    ("step env raises", G, lambda c: crash(c),
     "INTERNAL", r"^environment 'GymlinkTest/Crash-v0' \(instance \w+\) raised RuntimeError"),
    ("step other session's instance", G, lambda c: grpc_status(lambda: c.stub.Step(pb.StepRequest(
        instance_id=session_owned(c), action=action([0.0])), timeout=TIMEOUT)),
     "NOT_FOUND", r"^instance '\w+' is not known to this server$"),
    ("batch duplicate ids", G, lambda c: (lambda i: grpc_status(lambda: c.stub.StepBatch(pb.StepBatchRequest(
        steps=[pb.StepRequest(instance_id=i, action=action([0.0]))] * 5000), timeout=TIMEOUT)))(c.fresh()),
     "INVALID_ARGUMENT", r"^step_batch has 5000 steps, expected at most 8"),
    ("batch repeated id", G, lambda c: (lambda i: grpc_status(lambda: c.stub.StepBatch(pb.StepBatchRequest(
        steps=[pb.StepRequest(instance_id=i, action=action([0.0]))] * 2), timeout=TIMEOUT)))(c.fresh()),
     "INVALID_ARGUMENT", r"^step_batch names 1 instance\(s\) more than once \('\w+'\), expected distinct ids$"),
    ("batch unknown id", G, lambda c: grpc_status(lambda: c.stub.StepBatch(pb.StepBatchRequest(
        steps=[pb.StepRequest(instance_id="nope", action=action([0.0]))]), timeout=TIMEOUT)),
     "NOT_FOUND", r"^instance 'nope' is not known to this server$"),
    ("close unknown", G, lambda c: grpc_status(lambda: c.stub.Close(pb.CloseRequest(instance_id="nope"),
                                                                    timeout=TIMEOUT)),
     "NOT_FOUND", r"^instance 'nope' is not known"),
    ("close twice", G, lambda c: grpc_status(lambda: c.stub.Close(pb.CloseRequest(instance_id=closed(c)),
                                                                  timeout=TIMEOUT)),
     "NOT_FOUND", r"was closed by the client$"),
    # --- gRPC: undecodable requests (defect 2) ---
    ("garbage make", G, lambda c: raw_unary(c, "Make", b"\xff\xff\xff\xff"),
     "INVALID_ARGUMENT", r"^malformed request: 4 bytes are not a valid gymlink.v1.MakeRequest: the protobuf wire"),
    ("bad utf-8 step", G, lambda c: raw_unary(c, "Step", b"\x0a\x03\xff\xfe\xfd"),
     "INVALID_ARGUMENT", r"^malformed request: 5 bytes are not a valid gymlink.v1.StepRequest: a string field is"),
    ("truncated varint reset", G, lambda c: raw_unary(c, "Reset", b"\x10\x80\x80"),
     "INVALID_ARGUMENT", r"^malformed request: 3 bytes are not a valid gymlink.v1.ResetRequest"),
    ("too deep step", G, lambda c: raw_unary(c, "Step", deep_value(150)),
     "INVALID_ARGUMENT", r"nested deeper than the parser's limit of 100$"),
    # --- gRPC: authentication (defect 5) ---
    ("no token", G, lambda c: secure_grpc(c, None),
     "UNAUTHENTICATED", r"^this server needs a bearer token"),
    ("wrong token", G, lambda c: secure_grpc(c, "Bearer not-the-token"),
     "UNAUTHENTICATED", r"^the bearer token is not valid on this server$"),
    ("not bearer", G, lambda c: secure_grpc(c, "Basic abc"),
     "UNAUTHENTICATED", r"^the authorization header is not 'Bearer TOKEN'$"),
    # --- session stream ---
    ("session garbage", S, lambda c: session_status(c, b"\xff\xff\xff"),
     "INVALID_ARGUMENT", r"^malformed request: 3 bytes are not a valid gymlink.v1.SessionRequest"),
    ("session no op", S, lambda c: session_status(c, pb.SessionRequest(request_id=3)),
     "INVALID_ARGUMENT", r"^session request has no operation set$"),
    ("session render human", S, lambda c: session_status(c, pb.SessionRequest(
        request_id=1, make=make_req("CartPole-v1", render_mode="human"))),
     "INVALID_ARGUMENT", r"^render_mode for 'CartPole-v1' is 'human'"),
    ("session unknown instance", S, lambda c: session_status(c, pb.SessionRequest(
        request_id=1, step=pb.StepRequest(instance_id="nope", action=action([0.0])))),
     "NOT_FOUND", r"^instance 'nope' is not known"),
    ("session unary instance", S, lambda c: session_status(c, pb.SessionRequest(
        request_id=1, close=pb.CloseRequest(instance_id=c.fresh()))),
     "NOT_FOUND", r"^instance '\w+' is not known"),
    ("session bad kwarg", S, lambda c: session_status(c, pb.SessionRequest(
        request_id=1, make=make_req("Pendulum-v1", g=1e9))),
     "INVALID_ARGUMENT", r"^kwarg 'g' for 'Pendulum-v1' is 1000000000\.0, expected a number in \[0, 100\]$"),
    # --- HTTP (defects 1, 3, 5, 6, 8) ---
    ("http not json", H, lambda c: http_status(c.http, "POST", "/v1/envs/", raw=b"{nope"),
     400, r"^Request is not a valid json$"),
    ("http nested 10000", H, lambda c: http_status(c.http, "POST", "/v1/envs/", raw=b"[" * 10000 + b"]" * 10000),
     400, r"^Request is not a valid json: it is nested too deeply$"),
    ("http env_id missing", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"seed": 1}),
     400, r"^A required request parameter 'env_id' was not provided$"),
    ("http env_id number", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"env_id": 5}),
     400, r"^env_id is 5, expected a string"),
    ("http malformed id", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"env_id": "a b"}),
     400, r"^Attempted to look up malformed environment ID 'a b'"),
    ("http unknown id", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"env_id": "CartPol-v1"}),
     400, r"^environment 'CartPol-v1' is not registered; did you mean"),
    ("http render human", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {
        "env_id": "CartPole-v1", "kwargs": {"render_mode": "human"}}),
     400, r"^render_mode for 'CartPole-v1' is 'human'"),
    ("http kwargs not object", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {
        "env_id": "Pendulum-v1", "kwargs": [1]}),
     400, r"^kwargs is \[1\], expected an object"),
    ("http kwarg bad value", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {
        "env_id": "Pendulum-v1", "kwargs": {"g": [1, 2]}}),
     400, r"^kwarg 'g' for 'Pendulum-v1' is \[1, 2\]"),
    ("http seed string", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"env_id": "Pendulum-v1",
                                                                               "seed": "x"}),
     400, r"^seed is 'x', expected an integer$"),
    ("http max steps 0", H, lambda c: http_status(c.http, "POST", "/v1/envs/", {"env_id": "Pendulum-v1",
                                                                               "max_episode_steps": 0}),
     400, r"^max_episode_steps for 'Pendulum-v1' is 0"),
    ("http body 2 MiB", H, lambda c: oversized_body_status(c.http, 2 << 20),
     413, r"(?i)too large|exceeds"),
    ("http reset unknown", H, lambda c: http_status(c.http, "POST", "/v1/envs/nope/reset/", {}),
     400, r"^Instance_id nope unknown$"),
    ("http reset 30k id", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{'y' * 30_000}/reset/", {}),
     400, r"^Instance_id yyy.*\.\.\. unknown$"),
    ("http 100k path", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{'y' * 100_000}/reset/", {}),
     431, r"exceeds max_header of 65536"),
    ("http reset seed -1", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/reset/",
                                                    {"seed": -1}),
     400, r"^seed for instance '\w+' of 'Pendulum-v1' is -1"),
    ("http reset seed huge", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/reset/",
                                                      {"seed": 10**30}),
     400, r"^seed for instance '\w+' of 'Pendulum-v1' is 10000"),
    ("http reset options bad", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/reset/",
                                                        {"options": {"y_init": "z"}}),
     400, r"^reset options \{'y_init': 'z'\} for instance"),
    ("http reset options list", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/reset/",
                                                         {"options": [1]}),
     400, r"^options is \[1\], expected an object$"),
    ("http step no action", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/step/", {}),
     400, r"^A required request parameter 'action' was not provided$"),
    ("http step wrong shape", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{c.http_fresh()}/step/",
                                                       {"action": [1, 2]}),
     400, r"^action for 'Pendulum-v1' has shape \[2\], expected \[1\]$"),
    ("http step nested 900", H, lambda c: http_status(
        c.http, "POST", f"/v1/envs/{c.http_fresh()}/step/", raw=b'{"action": ' + b"[" * 900 + b"0" + b"]" * 900 + b"}"),
     400, r"^action for 'Pendulum-v1' is .*\.\.\., expected a number or a rectangular nested list"),
    ("http step before reset", H, lambda c: http_status(
        c.http, "POST", f"/v1/envs/{c.http_fresh(reset=False)}/step/", {"action": [0.0]}),
     400, r"needs reset: reset\(\) has not been called yet$"),
    ("http contains garbage", H, lambda c: http_status(
        c.http, "GET", f"/v1/envs/{c.http_fresh()}/action_space/contains/nope"),
     400, r"^'nope' is not a number or a JSON value"),
    ("http obs contains not json", H, lambda c: http_status(
        c.http, "POST", f"/v1/envs/{c.http_fresh()}/observation_space/contains", raw=b"nope"),
     400, r"^Request is not a valid json$"),
    ("http unknown route", H, lambda c: http_status(c.http, "GET", "/v2/nothing"),
     404, r"^GET /v2/nothing: "),
    ("http shutdown disabled", H, lambda c: http_status(c.http, "POST", "/v1/shutdown/"),
     400, r"^shutdown over HTTP is disabled on this server"),
    ("http session instance hidden", H, lambda c: http_status(c.http, "POST", f"/v1/envs/{session_owned(c)}/close/"),
     400, r"^Instance_id \w+ unknown$"),
    ("http no token", H, lambda c: http_status(c.secure_http, "GET", "/v1/envs/"),
     401, r"^this server needs a bearer token"),
    ("http wrong token", H, lambda c: http_status(c.secure_http, "GET", "/v1/envs/",
                                                  headers={"Authorization": "Bearer nope"}),
     401, r"^the bearer token is not valid on this server$"),
]


def control(ctx: Ctx) -> None:
    """A well-behaved client makes, resets, steps and closes over both transports."""
    instance_id = ctx.fresh()
    ctx.stub.Step(pb.StepRequest(instance_id=instance_id, action=action([0.0])), timeout=TIMEOUT)
    ctx.stub.Close(pb.CloseRequest(instance_id=instance_id), timeout=TIMEOUT)
    client = Client(ctx.plain.http_url)
    try:
        http_id = client.env_create("CartPole-v1")
        client.env_reset(http_id)
        client.env_step(http_id, 0)
        client.env_close(http_id)
    finally:
        client.close()


def test_suiteHasSixtyCasesOverBothTransports():
    assert len(CASES) >= 60
    assert {transport for _, transport, *_ in CASES} == {G, S, H}


@pytest.mark.parametrize(("transport", "run", "expected", "pattern"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_badInput_properStatus_shortMessageNamingIt_othersUnaffected(ctx, transport, run, expected, pattern):
    try:
        status, message = run(ctx)
    finally:
        if getattr(ctx, "release", None) is not None:
            ctx.release.set()
            ctx.release = None
    assert re.fullmatch(str(expected), str(status)), (status, message)
    assert re.search(pattern, message), message
    assert len(message) <= MAX_MESSAGE, f"{len(message)} characters: {message[:120]}..."
    assert "Traceback" not in message
    control(ctx)
    # Instances made by the case are closed, so the limit never runs out across cases.
    for instance_id in list(ctx.http.env_list_all()):
        ctx.http.env_close(instance_id)
