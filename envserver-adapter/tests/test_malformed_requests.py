"""Undecodable gRPC requests get INVALID_ARGUMENT "malformed request: ...", keep nothing, and never stop the server.

Regression for issue 9, defect 2: grpcio's own deserialization answered INTERNAL "Exception deserializing request!"
and kept ~20 KB of every such request alive for good (30,000 requests: +563 MB).
"""

import grpc
import pytest
from conftest import TIMEOUT, make
from grpc_health.v1 import health_pb2
from server_process import ServerProcess

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

SERVICE = pb.DESCRIPTOR.services_by_name["EnvService"]
UNARY = [m.name for m in SERVICE.methods if not m.client_streaming]


def deep_value(depth: int) -> pb.Value:
    """A Value nesting ``depth`` tuples: serialisable, but beyond upb's parse depth of 100."""
    value = pb.Value()
    inner = value
    for _ in range(depth):
        inner = inner.tuple.items.add()
    return value


def deep_kwargs(depth: int) -> pb.MakeRequest:
    """A MakeRequest whose kwargs nest ``depth`` lists deep."""
    value = pb.JsonValue()
    inner = value
    for _ in range(depth):
        inner = inner.list_value.items.add()
    request = pb.MakeRequest(env_id="Pendulum-v1")
    request.kwargs.fields["deep"].CopyFrom(value)
    return request


def length_delimited(field: int, payload: bytes) -> bytes:
    """Protobuf bytes of one length-delimited field (built by hand: the library would parse, and refuse, it)."""
    header, size = bytes([field << 3 | 2]), len(payload)
    while size >= 0x80:
        header, size = header + bytes([size & 0x7F | 0x80]), size >> 7
    return header + bytes([size]) + payload


CORRUPT = (b"\xff\xff\xff\xff", "the protobuf wire format is corrupt")
TRUNCATED_VARINT = (b"\x12\x80\x80", "the protobuf wire format is corrupt")
BAD_UTF8 = (b"\x0a\x03\xff\xfe\xfd", "a string field is not valid UTF-8")  # field 1 (a string in these requests)
TOO_DEEP = "messages are nested deeper than the parser's limit of 100"
CASES = [(method, CORRUPT) for method in UNARY] + [(method, TRUNCATED_VARINT) for method in UNARY] + [
    (method, BAD_UTF8) for method in ("Make", "Reset", "Step", "Close")] + [
    ("Make", (deep_kwargs(150).SerializeToString(), TOO_DEEP)),
    ("Reset", (length_delimited(3, deep_kwargs(150).kwargs.SerializeToString()), TOO_DEEP)),  # options
    ("Step", (length_delimited(2, deep_value(150).SerializeToString()), TOO_DEEP)),  # action
    ("StepBatch", (length_delimited(1, length_delimited(2, deep_value(150).SerializeToString())), TOO_DEEP)),
]
GARBAGE = [payload for _, (payload, _) in CASES]


def raw_unary(channel: grpc.Channel, method: str):
    return channel.unary_unary(f"/{SERVICE.full_name}/{method}")


@pytest.mark.parametrize(("method", "case"), CASES, ids=[f"{m}-{r[:20]}" for m, (_, r) in CASES])
def test_unary_garbage_invalidArgumentNamingMessageType(server, method, case):
    payload, reason = case
    request_type = SERVICE.methods_by_name[method].input_type.full_name
    with grpc.insecure_channel(server.target) as channel:
        with pytest.raises(grpc.RpcError) as caught:
            raw_unary(channel, method)(payload, timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT, caught.value.details()
    assert caught.value.details() == (f"malformed request: {len(payload)} bytes are not a valid {request_type}: "
                                      f"{reason}")


def test_session_garbage_errorResponseThenSessionGoesOn(server):
    valid = pb.SessionRequest(request_id=7, make=pb.MakeRequest(env_id="Pendulum-v1")).SerializeToString()
    with grpc.insecure_channel(server.target) as channel:
        session = channel.stream_stream(f"/{SERVICE.full_name}/Session",
                                        response_deserializer=pb.SessionResponse.FromString)
        answers = list(session(iter([b"\xff\xff\xff", BAD_UTF8[0], valid]), timeout=TIMEOUT))
    assert [a.WhichOneof("result") for a in answers] == ["error", "error", "make"]
    assert answers[0].error.code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert answers[0].error.message == ("malformed request: 3 bytes are not a valid gymlink.v1.SessionRequest: "
                                        "the protobuf wire format is corrupt")
    assert answers[2].request_id == 7 and answers[2].make.instance_id


@pytest.mark.parametrize("method", ["/grpc.health.v1.Health/Check",
                                    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"])
def test_otherServices_garbage_invalidArgument(server, method):
    with grpc.insecure_channel(server.target) as channel:
        with pytest.raises(grpc.RpcError) as caught:
            if "Reflection" in method:
                list(channel.stream_stream(method)(iter([b"\xff\xff"]), timeout=TIMEOUT))
            else:
                channel.unary_unary(method)(b"\xff\xff", timeout=TIMEOUT)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert caught.value.details().startswith(f"malformed request: 2 bytes are not a valid request of {method}")


def _send_garbage(channel: grpc.Channel, rounds: int) -> None:
    session = channel.stream_stream(f"/{SERVICE.full_name}/Session")
    health = channel.unary_unary("/grpc.health.v1.Health/Check")
    for i in range(rounds):
        method, (payload, _) = CASES[i % len(CASES)]
        for call, data in ((raw_unary(channel, method), payload), (health, CORRUPT[0] + bytes([i % 256]))):
            with pytest.raises(grpc.RpcError) as caught:
                call(data, timeout=TIMEOUT)
            assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        if i % 10 == 0:
            assert len(list(session(iter([payload] * 10), timeout=TIMEOUT))) == 10


def test_thousandsOfMalformedRequests_serverMemoryStaysFlat_andServes():
    with ServerProcess("--log-level", "warning") as server, grpc.insecure_channel(server.target) as channel:
        _send_garbage(channel, 300)  # warm-up: thread pool, allocator arenas
        before = server.rss_mb()
        _send_garbage(channel, 3000)  # 6,000 unary + 3,000 session messages; ~20 KB each leaked before the fix
        after = server.rss_mb()
        assert after - before < 15, f"server RSS grew from {before:.1f} to {after:.1f} MiB"
        stub = pb_grpc.EnvServiceStub(channel)
        assert make(stub, "Pendulum-v1").instance_id
        status = channel.unary_unary("/grpc.health.v1.Health/Check",
                                     request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                                     response_deserializer=health_pb2.HealthCheckResponse.FromString)
        assert status(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status == health_pb2.HealthCheckResponse.SERVING
