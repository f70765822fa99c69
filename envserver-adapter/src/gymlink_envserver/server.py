"""The gRPC env server: EnvService plus the standard health and reflection services, an idle reaper and a clean stop.

Thread budget: grpcio's synchronous server runs every RPC on a pool thread, and a Session stream holds its thread
for the whole session. The number of concurrent calls is capped by call slots sized from the instance limit (one
session per instance, plus headroom for unary calls), so that a client beyond it gets RESOURCE_EXHAUSTED at once
instead of waiting forever for a thread; the pool has :data:`HEALTH_THREADS` more threads than slots, and health
checks need no slot, so the server answers its probes even when idle streams hold every slot
(:mod:`gymlink_envserver.limits`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver.auth import AuthInterceptor, TlsFiles, TokenAuthenticator, check_exposure
from gymlink_envserver.batch import DEFAULT_STEP_THREADS, BatchStepper
from gymlink_envserver.decoding import DecodingInterceptor
from gymlink_envserver.grader import read_tokens
from gymlink_envserver.instances import InstanceTable
from gymlink_envserver.kwargs_policy import KwargsPolicy
from gymlink_envserver.limits import CallSlots, CallSlotsInterceptor, SessionRegistry
from gymlink_envserver.operations import EnvOperations
from gymlink_envserver.registry import Allowlist
from gymlink_envserver.service import EnvService, add_to_server

logger = logging.getLogger("gymlink_envserver")

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["EnvService"].full_name
HEADROOM_THREADS = 16
"""Call slots beyond one per instance: unary calls, reflection."""
HEALTH_THREADS = 4
"""Pool threads beyond the call slots, for health checks."""
BUSY_CLOSE_SECONDS = 1.0
"""At shutdown, how long to wait for each instance still inside a call after the grace period."""
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
        kwargs_policy: JSON file extending the default client-kwargs policy (``--kwargs-policy``), or None.
        tokens: Tokens file (``--tokens``): every call then needs a bearer token, or None.
        tls: Certificate, key and optional client CA (``--tls-cert``, ``--tls-key``, ``--tls-client-ca``), or None.
        insecure: Allow listening beyond loopback without TLS and tokens (``--insecure``).
        max_instances_per_principal: Most live instances of one caller; None: half of ``max_instances`` when the
            server has tokens, else no quota; 0: no quota (``--max-instances-per-principal``).
        max_sessions_per_principal: Most open sessions of one caller; None: half of the call slots when the server
            has tokens, else no quota; 0: no quota (``--max-sessions-per-principal``).
        empty_session_timeout: Seconds of silence after which a session holding no instance is closed; 0: never.
        session_idle_timeout: Seconds of silence after which any session is closed (its instances too); 0: never.
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
    kwargs_policy: str | None = None
    tokens: str | None = None
    tls: TlsFiles | None = None
    insecure: bool = False
    max_instances_per_principal: int | None = None
    max_sessions_per_principal: int | None = None
    empty_session_timeout: float = 30.0
    session_idle_timeout: float = 3600.0

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
        for name in ("max_instances_per_principal", "max_sessions_per_principal", "empty_session_timeout",
                     "session_idle_timeout"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} is {value}, expected >= 0 (0 = none)")

    def quota(self, value: int | None, total: int) -> int:
        """A per-principal quota: ``value``, or when None half of ``total`` with tokens and none without."""
        if value is not None:
            return value
        return max(1, (total + 1) // 2) if self.tokens and total else 0

    @property
    def workers(self) -> int:
        """The number of call slots (concurrent calls besides health checks)."""
        if self.max_workers is not None:
            return self.max_workers
        return self.max_instances + HEADROOM_THREADS if self.max_instances else UNLIMITED_WORKERS


class IdleReaper:
    """A daemon thread that periodically closes idle instances and sessions (each ``reap`` callable)."""

    def __init__(self, reaps: list[Callable[[], object]], interval: float) -> None:
        self._reaps = reaps
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gymlink-idle-reaper", daemon=True)

    def start(self) -> None:
        """Starts reaping (does nothing when there is nothing to reap)."""
        if self._reaps:
            self._thread.start()

    def stop(self) -> None:
        """Stops reaping and waits for the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                for reap in self._reaps:
                    reap()
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
        self.table = InstanceTable(allowlist, config.max_instances, config.idle_timeout,
                                   kwargs_policy=KwargsPolicy.load(config.kwargs_policy),
                                   max_per_principal=config.quota(config.max_instances_per_principal,
                                                                  config.max_instances))
        self.sessions = SessionRegistry(config.quota(config.max_sessions_per_principal, config.workers),
                                        config.empty_session_timeout, config.session_idle_timeout,
                                        holds=lambda owner: any(i.owner == owner for i in self.table.list()))
        self.authenticator = TokenAuthenticator(read_tokens(config.tokens)) if config.tokens else None
        interceptors: list[grpc.ServerInterceptor] = [CallSlotsInterceptor(CallSlots(config.workers)),
                                                      DecodingInterceptor()]
        if self.authenticator is not None:
            interceptors.insert(0, AuthInterceptor(self.authenticator))
        self.stepper = BatchStepper(self.table, config.step_threads, config.concurrent_step)
        self.health = health.HealthServicer()
        timeouts = [t for t in (config.idle_timeout, config.empty_session_timeout, config.session_idle_timeout) if t]
        reaps: list[Callable[[], object]] = [self.table.reap_idle] if config.idle_timeout else []
        if config.empty_session_timeout or config.session_idle_timeout:
            reaps.append(self.sessions.reap)
        self._reaper = IdleReaper(reaps, interval=min(max(min(timeouts, default=1) / 4, 0.05), 5.0))
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=config.workers + HEALTH_THREADS,
                                                              thread_name_prefix="gymlink-rpc"),
                                   options=KEEPALIVE_OPTIONS, interceptors=interceptors)
        add_to_server(EnvService(EnvOperations(self.table, self.stepper), self.authenticator, self.sessions),
                      self._server)
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
            ValueError: When the bind rule refuses the address (beyond loopback without TLS and tokens), or the TLS
                files cannot be read; one line naming what is missing.
            OSError: When the address cannot be bound (message names it).
        """
        config = self.config
        warning = check_exposure(config.host, config.tls is not None, self.authenticator is not None,
                                 config.insecure)
        if warning:
            logger.warning("%s", warning)
        address = f"{config.host}:{config.port}"
        try:
            if config.tls is not None:
                self.port = self._server.add_secure_port(address, config.tls.grpc_credentials())
            else:
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

    def stop(self, grace: float | None = None) -> bool:
        """Reports NOT_SERVING, lets in-flight RPCs finish for ``grace`` seconds, then closes every instance.

        Returns within about ``grace`` + :data:`BUSY_CLOSE_SECONDS` even when a call is still running (an env step
        that never ends): its RPC is cancelled at the grace period and its instance left unclosed. The caller then
        decides whether to exit the process (:func:`gymlink_envserver.cli.main` does).

        Returns:
            True when every call has ended; False when one was still running (its thread is left behind).
        """
        if self._stopped.is_set():
            return True
        self._stopped.set()
        grace = self.config.grace if grace is None else grace
        self.health.enter_graceful_shutdown()
        ended = self._server.stop(grace).wait(grace + BUSY_CLOSE_SECONDS)
        self._reaper.stop()
        self.stepper.close()
        live = len(self.table)
        closed = self.table.close_all(busy_timeout=BUSY_CLOSE_SECONDS)
        logger.info("stopped; closed %d instance(s) at shutdown", closed)
        return ended and closed == live

    def __enter__(self) -> EnvServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop(0)
