"""The real ``gymlink-envserver`` console script as a subprocess: port 0, health, reflection, SIGTERM, log lines."""

import re
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc

SCRIPT = Path(sys.executable).parent / "gymlink-envserver"
STARTUP_SECONDS = 30
LISTENING = re.compile(r"^gymlink-envserver listening on 127\.0\.0\.1:(\d+)$")


def read_line(stream, seconds: float) -> str:
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no output within {seconds} s"
    return stream.readline().decode().rstrip("\n")


@pytest.fixture()
def process():
    assert SCRIPT.exists(), f"console script missing at {SCRIPT}; run `pip install -e ./envserver-adapter[dev]`"
    proc = subprocess.Popen([str(SCRIPT), "--port", "0", "--test-envs", "--grace", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)
    proc.stdout.close()
    proc.stderr.close()


def test_cli_port0_printsListeningLine_servesHealthAndReflection_stopsOnSigterm(process):
    match = LISTENING.match(read_line(process.stdout, STARTUP_SECONDS))
    assert match, "first stdout line is not the listening line"
    target = f"127.0.0.1:{match.group(1)}"
    with grpc.insecure_channel(target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        for service in ("", "gymlink.v1.EnvService"):
            status = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
            assert status == health_pb2.HealthCheckResponse.SERVING
        reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
        answer = next(reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(
            list_services="")]), timeout=5))
        names = {s.name for s in answer.list_services_response.service}
        assert {"gymlink.v1.EnvService", "grpc.health.v1.Health"} <= names
        stub = pb_grpc.EnvServiceStub(channel)
        made = stub.Make(pb.MakeRequest(env_id="CartPole-v1"), timeout=30)
        closed = stub.Make(pb.MakeRequest(env_id="Pendulum-v1"), timeout=30)
        stub.Close(pb.CloseRequest(instance_id=closed.instance_id), timeout=5)
    process.send_signal(signal.SIGTERM)
    assert process.wait(15) == 0
    log = process.stderr.read().decode()
    assert "Traceback" not in log
    assert f"made CartPole-v1 instance {made.instance_id} [1 live]" in log
    assert f"closed Pendulum-v1 instance {closed.instance_id} (closed by the client) [1 live]" in log
    assert "received SIGTERM, shutting down" in log
    assert f"closed CartPole-v1 instance {made.instance_id} (closed when the server stopped) [0 live]" in log


def test_cli_healthNotServing_whileShuttingDown(process):
    target = f"127.0.0.1:{LISTENING.match(read_line(process.stdout, STARTUP_SECONDS)).group(1)}"
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.EnvServiceStub(channel)
        slow = stub.Make(pb.MakeRequest(env_id="GymlinkTest/Slow-v0"), timeout=30).instance_id
        stub.Reset(pb.ResetRequest(instance_id=slow), timeout=5)
        action = pb.Value(tensor=pb.Tensor(dtype=pb.FLOAT32, shape=[1], data=b"\0" * 4))
        watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=""), timeout=10)
        assert next(watch).status == health_pb2.HealthCheckResponse.SERVING
        in_flight = stub.Step.future(pb.StepRequest(instance_id=slow, action=action), timeout=10)
        time.sleep(0.3)  # let the 2 s step start before the signal
        process.send_signal(signal.SIGTERM)
        assert next(watch).status == health_pb2.HealthCheckResponse.NOT_SERVING
        watch.cancel()
        # The step was in flight before SIGTERM; the grace period (3 s) lets it finish.
        assert in_flight.result().reward == 0.0
    assert process.wait(15) == 0


def test_cli_portInUse_exitsWithMessage():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(SCRIPT), "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("flags", "message"), [
    (["--allow", "a:b:c"], "--allow entry 'a:b:c' is not a valid entry point, expected module:Class"),
    (["--max-instances", "-1"], "max_instances is -1, expected >= 0 (0 = unlimited)"),
    (["--step-threads", "0"], "step_threads is 0, expected >= 1"),
    (["--concurrent-step", "a b"], "--concurrent-step entry 'a b' contains whitespace"),
])
def test_cli_badFlags_exit2WithMessage(flags, message):
    result = subprocess.run([str(SCRIPT), *flags], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_cli_signal_stopsCleanlyWithExit0(process, signum):
    assert LISTENING.match(read_line(process.stdout, STARTUP_SECONDS))
    process.send_signal(signum)
    assert process.wait(15) == 0
    log = process.stderr.read().decode()
    assert f"received {signum.name}, shutting down" in log
    assert "stopped; closed 0 instance(s) at shutdown" in log


def test_cli_exitWithStdin_stopsWhenStdinCloses():
    proc = subprocess.Popen([str(SCRIPT), "--port", "0", "--grace", "1", "--exit-with-stdin"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert LISTENING.match(read_line(proc.stdout, STARTUP_SECONDS))
        time.sleep(0.5)
        assert proc.poll() is None, "the server stopped while its stdin was still open"
        proc.stdin.close()
        assert proc.wait(15) == 0
        assert "standard input closed" in proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()
