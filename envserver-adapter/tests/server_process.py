"""The real ``gymlink-envserver`` console script as a child process, for tests that may crash, kill or weigh it."""

from __future__ import annotations

import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "gymlink-envserver"
STARTUP_SECONDS = 60
_GRPC_LINE = re.compile(r"^gymlink-envserver listening on (\S+:\d+)$")
_HTTP_LINE = re.compile(r"^gymlink-envserver http listening on (\S+:\d+)$")


class ServerProcess:
    """``gymlink-envserver --port 0 [--http-port 0] ARGS`` running until :meth:`stop`; a context manager.

    Attributes:
        target: ``host:port`` of gRPC.
        http_url: ``http://host:port`` of the gym-http-api routes, or None without ``http=True``.
    """

    def __init__(self, *args: str, http: bool = False) -> None:
        assert SCRIPT.exists(), f"console script missing at {SCRIPT}; run bin/bootstrap"
        argv = [str(SCRIPT), "--port", "0", "--grace", "1", *args]
        if http:
            argv += ["--http-port", "0"]
        self._log = tempfile.TemporaryFile()
        # Unbuffered: select() must see the second listening line, which a buffered reader would swallow.
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log, bufsize=0)
        self.http_url: str | None = None
        self.target = ""
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self.target:
            line = self._read_line(deadline - time.monotonic())
            if m := _HTTP_LINE.match(line):
                self.http_url = f"http://{m.group(1)}"
            elif m := _GRPC_LINE.match(line):
                self.target = m.group(1)

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def alive(self) -> bool:
        """Whether the server still runs."""
        return self.process.poll() is None

    def rss_mb(self) -> float:
        """The server's resident memory (VmRSS) in MiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError(f"no VmRSS for pid {self.pid}")

    def log(self) -> str:
        """Everything the server wrote to stderr so far."""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Sends ``signum``, waits up to ``timeout`` s and returns the exit code (kills it when it does not exit)."""
        if self.alive():
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            raise AssertionError(f"server did not exit within {timeout} s of {signal.Signals(signum).name}") from None

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait(10)
        self.process.stdout.close()
        self._log.close()

    def _read_line(self, seconds: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], max(seconds, 0))
        if not ready:
            self.process.kill()
            raise AssertionError(f"server printed no listening line within {STARTUP_SECONDS} s:\n{self.log()}")
        line = self.process.stdout.readline().decode()
        if not line:
            raise AssertionError(f"server exited with {self.process.wait()} before listening:\n{self.log()}")
        return line.rstrip("\n")
