"""The container health probe (``python -m gymlink_envserver.healthcheck``) against real servers."""

from __future__ import annotations

import socket

import pytest

from gymlink_envserver import healthcheck
from gymlink_envserver.server import EnvServer


def test_main_servingServer_exitsZeroAndSaysServing(server: EnvServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert healthcheck.main(["--host", "127.0.0.1", "--port", str(server.port)]) == 0
    assert capsys.readouterr().out.strip() == f"env server at 127.0.0.1:{server.port} is SERVING"


def test_main_nothingListening_exitsOneAndNamesTheAddress(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    assert healthcheck.main(["--port", str(free_port), "--timeout", "2"]) == 1
    assert capsys.readouterr().out.startswith(
        f"env server at 127.0.0.1:{free_port} did not answer the health check: UNAVAILABLE"
    )


def test_main_unknownService_exitsOne(server: EnvServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert healthcheck.main(["--port", str(server.port), "--service", "no.such.Service"]) == 1
    assert "NOT_FOUND" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "probed"), [("0.0.0.0", "127.0.0.1"), ("::", "127.0.0.1"), ("127.0.0.2", "127.0.0.2")]
)
def test_main_defaultsFromContainerEnvironment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], host: str, probed: str
) -> None:
    monkeypatch.setenv("GYMLINK_HOST", host)
    monkeypatch.setenv("GYMLINK_PORT", "1")
    healthcheck.main(["--timeout", "0.5"])
    assert capsys.readouterr().out.startswith(f"env server at {probed}:1 ")
