"""``gymlink-envserver --http-port 0`` (and ``--grader``) as a subprocess: the listening lines, serving, SIGTERM."""

import re
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from gym_http_oracle import Client, ServerError

SCRIPT = Path(sys.executable).parent / "gymlink-envserver"
HTTP_LISTENING = re.compile(r"^gymlink-envserver http listening on 127\.0\.0\.1:(\d+)$")
GRPC_LISTENING = re.compile(r"^gymlink-envserver listening on 127\.0\.0\.1:(\d+)$")


def read_line(stream, seconds: float = 30) -> str:
    # The stream is unbuffered (bufsize=0): a buffered reader could swallow the next line, which select cannot see.
    ready, _, _ = select.select([stream], [], [], seconds)
    assert ready, f"no output within {seconds} s"
    return stream.readline().decode().rstrip("\n")


def start(*flags: str) -> subprocess.Popen:
    assert SCRIPT.exists(), f"console script missing at {SCRIPT}; run `pip install -e ./envserver-adapter[dev]`"
    return subprocess.Popen([str(SCRIPT), "--port", "0", "--test-envs", "--grace", "0", *flags],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    code = process.wait(15)
    process.stdout.close()
    return code


def test_httpPort0_printsBothLines_servesHttp_stopsOnSigterm():
    process = start("--http-port", "0")
    try:
        http = HTTP_LISTENING.match(read_line(process.stdout))
        assert http, "the http line comes first"
        assert GRPC_LISTENING.match(read_line(process.stdout))
        client = Client(f"http://127.0.0.1:{http.group(1)}")
        instance_id = client.env_create("FrozenLake-v1")
        assert client.env_reset(instance_id) == 0
        client.close()
    finally:
        assert stop(process) == 0


def test_grader_flags(tmp_path):
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("t0k3n alice\n")
    process = start("--http-port", "0", "--grader", "--seeds", "1,2", "--tokens", str(tokens),
                    "--grader-version", "9.9")
    try:
        client = Client(f"http://127.0.0.1:{HTTP_LISTENING.match(read_line(process.stdout)).group(1)}")
        with pytest.raises(ServerError, match="does not match the grader's '9.9'"):
            client.env_create("Pendulum-v1", token="t0k3n", version="3.0.11")
        assert client.env_create("Pendulum-v1", token="t0k3n", version="9.9").startswith("alice___")
        client.close()
    finally:
        assert stop(process) == 0


@pytest.mark.parametrize(("flags", "message"), [
    (["--grader", "--seeds", "1"], "--grader serves on the HTTP port: add --http-port PORT"),
    (["--http-port", "0", "--grader", "--seeds", "1"], "--grader needs --seeds S,... and --tokens FILE"),
    (["--http-port", "0", "--grader", "--seeds", "1", "--tokens", "/nonexistent"], "No such file"),
])
def test_badFlags_exit2WithMessage(flags, message):
    result = subprocess.run([str(SCRIPT), "--port", "0", *flags], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr
