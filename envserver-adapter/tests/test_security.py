"""TLS, bearer tokens, instance ownership and the bind rule, against real servers with certificates made here.

Regressions for issue 9, defect 5: any client could Step, Reset, StepBatch and Close another client's session
instance by id, HTTP listed every instance, and nothing was authenticated or encrypted.
"""

import json
import urllib.request

import grpc
import numpy as np
import pytest
from certs import make_certs
from conftest import TIMEOUT, make, reset, step, tensor_value
from grpc_health.v1 import health_pb2, health_pb2_grpc
from server_process import SCRIPT, ServerProcess

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

ALICE, BOB = "alice-token-0123456789", "bob-token-9876543210"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    path = tmp_path_factory.mktemp("tokens") / "tokens"
    path.write_text(f"# gymlink test tokens\n{ALICE} alice\n{BOB} bob\n")
    return path


@pytest.fixture(scope="module")
def secure(certs, tokens):
    """A server with TLS and tokens (and HTTP with tokens)."""
    with ServerProcess("--tls-cert", str(certs.server), "--tls-key", str(certs.server_key), "--tokens", str(tokens),
                       "--test-envs", http=True) as server:
        yield server


def tls_channel(server, certs, token=None, client_cert=False):
    credentials = grpc.ssl_channel_credentials(
        root_certificates=certs.read("ca"),
        private_key=certs.read("client_key") if client_cert else None,
        certificate_chain=certs.read("client") if client_cert else None)
    if token is not None:
        credentials = grpc.composite_channel_credentials(credentials, grpc.access_token_call_credentials(token))
    return grpc.secure_channel(server.target, credentials)


def status_of(call):
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value.code(), caught.value.details()


def test_tlsAndToken_makeResetStep(secure, certs):
    with tls_channel(secure, certs, ALICE) as channel:
        stub = pb_grpc.EnvServiceStub(channel)
        made = make(stub, "Pendulum-v1")
        reset(stub, made.instance_id)
        assert step(stub, made.instance_id, tensor_value([0.0], np.float32)).observation.tensor.shape == [3]


def test_noToken_unauthenticatedNamingTheHeader(secure, certs):
    with tls_channel(secure, certs) as channel:
        code, message = status_of(lambda: make(pb_grpc.EnvServiceStub(channel), "Pendulum-v1"))
    assert code == grpc.StatusCode.UNAUTHENTICATED
    assert message.startswith("this server needs a bearer token: send the header 'authorization: Bearer TOKEN'")


def test_wrongToken_unauthenticated_tokenNotEchoed(secure, certs):
    with tls_channel(secure, certs, "not-a-token-xyz") as channel:
        stub = pb_grpc.EnvServiceStub(channel)
        code, message = status_of(lambda: make(stub, "Pendulum-v1"))
        session_code, _ = status_of(lambda: list(stub.Session(iter([pb.SessionRequest(
            request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1"))]), timeout=TIMEOUT)))
    assert code == session_code == grpc.StatusCode.UNAUTHENTICATED
    assert message == "the bearer token is not valid on this server" and "not-a-token" not in message


def test_plaintextClientToTlsServer_unavailable(secure):
    with grpc.insecure_channel(secure.target) as channel:
        code, _ = status_of(lambda: pb_grpc.EnvServiceStub(channel).GetServerInfo(pb.GetServerInfoRequest(),
                                                                                  timeout=5))
    assert code == grpc.StatusCode.UNAVAILABLE


def test_healthCheck_needsNoToken(secure, certs):
    with tls_channel(secure, certs) as channel:
        answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
    assert answer.status == health_pb2.HealthCheckResponse.SERVING


def test_crossPrincipal_everyCallNotFound_sameAsUnknownId(secure, certs):
    with tls_channel(secure, certs, ALICE) as a, tls_channel(secure, certs, BOB) as b:
        alice, bob = pb_grpc.EnvServiceStub(a), pb_grpc.EnvServiceStub(b)
        mine = make(alice, "Pendulum-v1").instance_id
        reset(alice, mine)
        action = tensor_value([0.0], np.float32)
        calls = {
            "Reset": lambda: reset(bob, mine),
            "Step": lambda: step(bob, mine, action),
            "StepBatch": lambda: bob.StepBatch(pb.StepBatchRequest(steps=[pb.StepRequest(
                instance_id=mine, action=action)]), timeout=TIMEOUT),
            "Close": lambda: bob.Close(pb.CloseRequest(instance_id=mine), timeout=TIMEOUT),
        }
        for name, call in calls.items():
            assert status_of(call) == (grpc.StatusCode.NOT_FOUND, f"instance '{mine}' is not known to this server"), \
                name
        session = list(bob.Session(iter([pb.SessionRequest(request_id=1, step=pb.StepRequest(
            instance_id=mine, action=action))]), timeout=TIMEOUT))
        assert session[0].error.code == grpc.StatusCode.NOT_FOUND.value[0]
        step(alice, mine, action)  # untouched by bob's attempts


def _http(server, method, path, token=None, body=None):
    request = urllib.request.Request(server.http_url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_http_tokens_401WithoutOrWrong_listingOnlyOwn(secure, certs):
    assert _http(secure, "GET", "/v1/envs/")[0] == 401
    status, answer = _http(secure, "GET", "/v1/envs/", token="wrong")
    assert (status, answer["message"]) == (401, "the bearer token is not valid on this server")
    status, made = _http(secure, "POST", "/v1/envs/", ALICE, {"env_id": "CartPole-v1"})
    assert status == 200
    with tls_channel(secure, certs, ALICE) as channel:  # alice's gRPC instance is hers over HTTP too
        grpc_id = make(pb_grpc.EnvServiceStub(channel), "Pendulum-v1").instance_id
    assert set(_http(secure, "GET", "/v1/envs/", ALICE)[1]["all_envs"]) >= {made["instance_id"], grpc_id}
    assert _http(secure, "GET", "/v1/envs/", BOB)[1]["all_envs"] == {}
    status, answer = _http(secure, "POST", f"/v1/envs/{made['instance_id']}/reset/", BOB, {})
    assert (status, answer["message"]) == (400, f"Instance_id {made['instance_id']} unknown")


def test_mutualTls_clientWithoutCertificateRefused(certs, tokens):
    with ServerProcess("--tls-cert", str(certs.server), "--tls-key", str(certs.server_key),
                       "--tls-client-ca", str(certs.ca), "--tokens", str(tokens)) as server:
        with tls_channel(server, certs, ALICE) as channel:
            code, _ = status_of(lambda: make(pb_grpc.EnvServiceStub(channel), "Pendulum-v1"))
        assert code == grpc.StatusCode.UNAVAILABLE
        with tls_channel(server, certs, ALICE, client_cert=True) as channel:
            assert make(pb_grpc.EnvServiceStub(channel), "Pendulum-v1").instance_id


def test_noTokens_sessionInstanceUnreachableFromOtherClients(server):
    """Without tokens, an instance made in a session belongs to that session alone."""
    with grpc.insecure_channel(server.target) as a, grpc.insecure_channel(server.target) as b:
        iter_requests = []  # filled as the session goes
        session = pb_grpc.EnvServiceStub(a).Session(_lazy(iter_requests), timeout=TIMEOUT)
        iter_requests.append(pb.SessionRequest(request_id=1, make=pb.MakeRequest(env_id="Pendulum-v1")))
        instance_id = next(session).make.instance_id
        other = pb_grpc.EnvServiceStub(b)
        assert status_of(lambda: reset(other, instance_id))[0] == grpc.StatusCode.NOT_FOUND
        assert status_of(lambda: other.Close(pb.CloseRequest(instance_id=instance_id), timeout=TIMEOUT))[0] == \
            grpc.StatusCode.NOT_FOUND
        iter_requests.append(pb.SessionRequest(request_id=2, reset=pb.ResetRequest(instance_id=instance_id)))
        assert next(session).WhichOneof("result") == "reset", "the session still reaches its own instance"
        iter_requests.append(None)
        list(session)


def _lazy(queue):
    """Yields the queue's items as they are appended (None ends), for a lockstep session in a test."""
    import time

    index = 0
    while True:
        while index >= len(queue):
            time.sleep(0.005)
        item = queue[index]
        index += 1
        if item is None:
            return
        yield item


@pytest.mark.parametrize(("args", "missing"), [
    ([], "TLS and a tokens file"),
    (["--tokens", "TOKENS"], "TLS"),
])
def test_bindBeyondLoopback_refusedInOneLine_unlessInsecure(tokens, args, missing):
    import subprocess

    argv = [str(SCRIPT), "--host", "0.0.0.0", "--port", "0", *[str(tokens) if a == "TOKENS" else a for a in args]]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if "INFO" not in line]
    assert lines == [f"gymlink-envserver: error: refusing to listen on 0.0.0.0 without {missing}: give "
                     "--tls-cert/--tls-key and --tokens, bind --host 127.0.0.1, or accept the risk with --insecure"]


def test_bindBeyondLoopback_insecure_startsWithWarning():
    with ServerProcess("--host", "0.0.0.0", "--insecure") as server:
        assert "listens on 0.0.0.0 without TLS and a tokens file (--insecure)" in server.log()
        port = server.target.rsplit(":", 1)[1]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            assert make(pb_grpc.EnvServiceStub(channel), "Pendulum-v1").instance_id


def test_healthcheckProbe_overTls(secure, certs):
    from gymlink_envserver.healthcheck import probe

    port = secure.target.rsplit(":", 1)[1]
    assert probe(f"127.0.0.1:{port}", "", 5, str(certs.ca)) == (True, f"env server at 127.0.0.1:{port} is SERVING")
    assert probe(f"localhost:{port}", "", 5, str(certs.ca))[0]
