"""The gRPC env server: EnvService plus the standard health and reflection services, an idle reaper and a clean stop.

Thread budget: grpcio's synchronous server runs every RPC on a pool thread, and a Session stream holds its thread
for the whole session. The pool is therefore sized from the instance limit (one session per instance, plus headroom
for unary calls and health checks), and ``maximum_concurrent_rpcs`` equals the pool size so that a client beyond
it gets RESOURCE_EXHAUSTED at once instead of waiting forever for a thread.
"""

from __future__ import annotations

import logging
import threading
from concurrent import futures
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver.batch import DEFAULT_STEP_THREADS, BatchStepper
from gymlink_envserver.decoding import DecodingInterceptor
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.operations import EnvOperations
from gymlink_envserver.registry import Allowlist
from gymlink_envserver.service import EnvService, add_to_server

logger = logging.getLogger("gymlink_envserver")

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EnvService"].full_name
HEADROOM_THREADS = 16
"""Pool threads beyond one per instance: unary calls, health checks, reflection."""
UNLIMITED_WORKERS = 256
"""Pool size when the instance limit is off (0)."""
KEEPALIVE_OPTIONS = (
    # Ping idle connections so that a session whose client vanished without closing its TCP connection ends (and
    # frees its instances) within about keepalive_time + keepalive_timeout.
    ("grpc.keepalive_time_ms", 60_000),
    ("grpc.keepalive_timeout_ms", 20_000),
    # Let clients keep long-lived session channels alive with their own pings.
    ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 1),
)


@dataclass(frozen=True)
class ServerConfig:
    """Everything that configures one env server; the CLI flags map onto these fields.

    Attributes:
        host: Interface to bind; loopback by default so nothing is exposed unless asked.
        port: TCP port; 0 picks a free one.
        allow: Extra environment ids or ``module:Class`` entry points to allow (``--allow``).
        max_instances: Most live instances; 0 for unlimited (``--max-instances``).
        idle_timeout: Seconds before an untouched instance is closed; 0 for never (``--idle-timeout``).
        test_envs: Register and allow the gymlink test environments (``--test-envs``).
        max_workers: gRPC pool threads; None sizes it from ``max_instances`` (see the module docstring).
        grace: Seconds in-flight RPCs get to finish when the server stops.
        step_threads: Threads that step waiting environments of a batch concurrently (``--step-threads``).
        concurrent_step: More environment ids whose steps wait and may run concurrently (``--concurrent-step``).
    """

    host: str = "127.0.0.1"
    port: int = 50051
    allow: tuple[str, ...] = field(default_factory=tuple)
    max_instances: int = 64
    idle_timeout: float = 600.0
    test_envs: bool = False
    max_workers: int | None = None
    grace: float = 5.0
    step_threads: int = DEFAULT_STEP_THREADS
    concurrent_step: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port is {self.port}, expected 0..65535")
        if self.max_instances < 0:
            raise ValueError(f"max_instances is {self.max_instances}, expected >= 0 (0 = unlimited)")
        if self.idle_timeout < 0:
            raise ValueError(f"idle_timeout is {self.idle_timeout}, expected >= 0 (0 = never)")
        if self.max_workers is not None and self.max_workers < 2:
            raise ValueError(f"max_workers is {self.max_workers}, expected >= 2")
        if self.grace < 0:
            raise ValueError(f"grace is {self.grace}, expected >= 0")
        if self.step_threads < 1:
            raise ValueError(f"step_threads is {self.step_threads}, expected >= 1")

    @property
    def workers(self) -> int:
        """The pool size actually used."""
        if self.max_workers is not None:
            return self.max_workers
        return self.max_instances + HEADROOM_THREADS if self.max_instances else UNLIMITED_WORKERS


class IdleReaper:
    """A daemon thread that periodically closes instances idle for longer than the table's timeout."""

    def __init__(self, table: InstanceTable, interval: float) -> None:
        self._table = table
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gymlink-idle-reaper", daemon=True)

    def start(self) -> None:
        """Starts reaping (does nothing when the table has no idle timeout)."""
        if self._table.idle_timeout:
            self._thread.start()

    def stop(self) -> None:
        """Stops reaping and waits for the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._table.reap_idle()
            except Exception:  # noqa: BLE001 - the reaper must outlive any one failure
                logger.warning("idle reaper failed", exc_info=True)


class EnvServer:
    """A running gymlink env server (gRPC EnvService, health, reflection, idle reaper)."""

    def __init__(self, config: ServerConfig, allowlist: Allowlist | None = None) -> None:
        """Prepares the server; :meth:`start` binds and serves.

        Args:
            config: The server's settings.
            allowlist: Overrides the allowlist built from ``config`` (tests).
        """
        self.config = config
        allowlist = allowlist or Allowlist.build(config.allow, test_envs=config.test_envs)
        self.table = InstanceTable(allowlist, config.max_instances, config.idle_timeout)
        self.stepper = BatchStepper(self.table, config.step_threads, config.concurrent_step)
        self.health = health.HealthServicer()
        self._reaper = IdleReaper(self.table, interval=min(max(config.idle_timeout / 4, 0.05), 5.0))
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=config.workers,
                                                              thread_name_prefix="gymlink-rpc"),
                                   maximum_concurrent_rpcs=config.workers, options=KEEPALIVE_OPTIONS,
                                   interceptors=(DecodingInterceptor(),))
        add_to_server(EnvService(EnvOperations(self.table, self.stepper)), self._server)
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self._server)
        reflection.enable_server_reflection(
            (SERVICE_NAME, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name, reflection.SERVICE_NAME),
            self._server)
        self.port: int | None = None
        self._stopped = threading.Event()

    @property
    def target(self) -> str:
        """``host:port`` the server listens on (after :meth:`start`)."""
        return f"{self.config.host}:{self.port}"

    def start(self) -> int:
        """Binds, starts serving and reports SERVING; returns the bound port.

        Raises:
            OSError: When the address cannot be bound (message names it).
        """
        address = f"{self.config.host}:{self.config.port}"
        try:
            self.port = self._server.add_insecure_port(address)
        except RuntimeError as error:
            raise OSError(f"cannot listen on {address}: {error}") from error
        for service in ("", SERVICE_NAME):
            self.health.set(service, health_pb2.HealthCheckResponse.NOT_SERVING)
        self._server.start()
        self._reaper.start()
        for service in ("", SERVICE_NAME):
            self.health.set(service, health_pb2.HealthCheckResponse.SERVING)
        return self.port

    def stop(self, grace: float | None = None) -> None:
        """Reports NOT_SERVING, lets in-flight RPCs finish for ``grace`` seconds, then closes every instance."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        self.health.enter_graceful_shutdown()
        self._server.stop(self.config.grace if grace is None else grace).wait()
        self._reaper.stop()
        self.stepper.close()
        closed = self.table.close_all()
        logger.info("stopped; closed %d instance(s) at shutdown", closed)

    def __enter__(self) -> EnvServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop(0)
