"""Load/soak benchmark of gymlink-envserver: N concurrent session streams x M steps each, one markdown table.

Starts a real server (a child process on a free loopback port), then for each N in ``--sessions`` runs N lockstep
sessions at once from one asyncio client (make, reset, M steps with random actions, close), and reports aggregate
steps/s, per-step latency p50/p99, errors, the server's RSS before / at its peak during / after the run, and how many
instances were still live once every session had ended (all must be freed). Not a test: figures depend on the
machine; the README shows the table and this command.

    bin/bench-load [--sessions 1,16,64] [--steps 2000] [--env Pendulum-v1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import grpc
import numpy as np

from gymlink_envserver import codec
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb

LIVE = re.compile(r"\[(\d+) live\]")


class Server:
    """The env server as a child process, with its RSS and its log."""

    def __init__(self, max_instances: int) -> None:
        self.log = tempfile.TemporaryFile()
        script = Path(sys.executable).parent / "gymlink-envserver"
        self.process = subprocess.Popen(
            [str(script), "--port", "0", "--max-instances", str(max_instances), "--log-level", "info"],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise SystemExit(f"the server did not start: {line!r}")
        self.target = line.split()[-1]

    def rss_mb(self) -> float:
        """Resident memory in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def live_instances(self) -> int:
        """Live instances, from the server's last "[N live]" log line."""
        self.log.seek(0)
        counts = LIVE.findall(self.log.read().decode(errors="replace"))
        return int(counts[-1]) if counts else 0

    def stop(self) -> None:
        """SIGTERM, then wait."""
        self.process.terminate()
        self.process.wait(30)


async def session(channel: grpc.aio.Channel, env_id: str, steps: int, seed: int, latencies: list[float]) -> int:
    """One lockstep session; returns the number of error answers."""
    rng = np.random.default_rng(seed)
    queue: asyncio.Queue = asyncio.Queue()

    async def requests():
        while (item := await queue.get()) is not None:
            yield item

    call = channel.stream_stream("/gymlink.v1.EnvService/Session",
                                 request_serializer=pb.SessionRequest.SerializeToString,
                                 response_deserializer=pb.SessionResponse.FromString)(requests(), timeout=3600)
    errors, rid = 0, 0

    async def send(**op) -> pb.SessionResponse:
        nonlocal rid, errors
        rid += 1
        await queue.put(pb.SessionRequest(request_id=rid, **op))
        answer = await call.read()
        if answer.WhichOneof("result") == "error":
            errors += 1
        return answer

    made = await send(make=pb.MakeRequest(env_id=env_id))
    instance_id = made.make.instance_id
    await send(reset=pb.ResetRequest(instance_id=instance_id, seed=seed))
    for _ in range(steps):
        action = pb.Value(tensor=codec.encode_tensor(rng.uniform(-2, 2, size=(1,)).astype(np.float32)))
        started = time.perf_counter()
        answer = await send(step=pb.StepRequest(instance_id=instance_id, action=action))
        latencies.append(time.perf_counter() - started)
        if answer.step.terminated or answer.step.truncated:
            await send(reset=pb.ResetRequest(instance_id=instance_id))
    await send(close=pb.CloseRequest(instance_id=instance_id))
    await queue.put(None)
    return errors


async def run(target: str, env_id: str, sessions: int, steps: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    async with grpc.aio.insecure_channel(target) as channel:
        started = time.perf_counter()
        results = await asyncio.gather(*(session(channel, env_id, steps, seed, latencies) for seed in range(sessions)),
                                       return_exceptions=True)
        elapsed = time.perf_counter() - started
    errors = sum(r if isinstance(r, int) else 1 for r in results)
    return elapsed, latencies, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,16,64", help="concurrent sessions per row (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=2000, help="steps per session (default: %(default)s)")
    parser.add_argument("--env", default="Pendulum-v1", help="environment id (default: %(default)s)")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.sessions.split(",")]
    server = Server(max_instances=max(counts) + 8)
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min average, {os.cpu_count()} CPUs); CPU: {_cpu()}; "
          f"Python {platform.python_version()}, grpcio {grpc.__version__}", flush=True)
    print("\n| sessions | steps each | steps/s | p50 ms | p99 ms | errors | server RSS before / peak / after (MiB) "
          "| instances left |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        for n in counts:
            before, peak = server.rss_mb(), [server.rss_mb()]
            stop = threading.Event()

            def watch(peak: list[float] = peak, stop: threading.Event = stop) -> None:
                while not stop.wait(0.2):
                    peak[0] = max(peak[0], server.rss_mb())

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
            elapsed, latencies, errors = asyncio.run(run(server.target, args.env, n, args.steps))
            stop.set()
            watcher.join()
            time.sleep(1.0)  # let the server log the last closes
            p50, p99 = (np.percentile(latencies, q) * 1e3 for q in (50, 99))
            print(f"| {n} | {args.steps} | {len(latencies) / elapsed:,.0f} | {p50:.2f} | {p99:.2f} | {errors} | "
                  f"{before:.0f} / {peak[0]:.0f} / {server.rss_mb():.0f} | {server.live_instances()} |", flush=True)
    finally:
        server.stop()
    print(f"\nload after: {os.getloadavg()[0]:.2f}")
    return 0


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
