"""Bounded resources per server and per caller: call slots, live sessions per principal, idle sessions.

- :class:`CallSlots` caps concurrent gRPC calls (a Session stream holds one for its whole life) below the thread
  pool's size, so that threads stay free for health checks: a client beyond the cap gets RESOURCE_EXHAUSTED at once,
  while ``grpc.health.v1.Health/Check`` is never capped (Docker and Kubernetes probes keep working when idle streams
  hold every slot). grpcio's own ``maximum_concurrent_rpcs`` counted health checks too.
- :class:`SessionRegistry` knows every open Session stream: it refuses a principal's session beyond its quota and
  cancels sessions that hold no instance and have said nothing for ``empty_timeout`` seconds, or have said nothing
  for ``idle_timeout`` seconds whatever they hold (their instances are then closed with the stream).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

import grpc

from gymlink_envserver.auth import HEALTH_PREFIX
from gymlink_envserver.errors import EnvServerError

logger = logging.getLogger("gymlink_envserver")

UNCAPPED = (HEALTH_PREFIX + "Check",)
"""Methods that never need a call slot."""


class TooManySessions(EnvServerError):
    """A principal already has its quota of open sessions."""

    code = "RESOURCE_EXHAUSTED"

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


class CallSlots:
    """A non-blocking cap on concurrent calls.

    Args:
        limit: Most calls at once.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"call slot limit is {limit}, expected >= 1")
        self.limit = limit
        self._free = threading.Semaphore(limit)

    def try_acquire(self) -> bool:
        """Takes a slot when one is free; never waits."""
        return self._free.acquire(blocking=False)

    def release(self) -> None:
        """Gives a slot back."""
        self._free.release()


class CallSlotsInterceptor(grpc.ServerInterceptor):
    """Makes every gRPC call but a health check hold a :class:`CallSlots` slot while it runs."""

    def __init__(self, slots: CallSlots) -> None:
        self._slots = slots

    def intercept_service(self, continuation: Callable, handler_call_details: grpc.HandlerCallDetails) -> Any:  # noqa: D102
        handler = continuation(handler_call_details)
        if handler is None or handler_call_details.method in UNCAPPED:
            return handler
        return _holding_slot(handler, self._slots)


def _busy(context: grpc.ServicerContext, slots: CallSlots) -> None:
    context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                  f"the server is busy: all {slots.limit} call slots are taken (each open session holds one; "
                  "--max-workers); try again later")


def _holding_slot(handler: grpc.RpcMethodHandler, slots: CallSlots) -> grpc.RpcMethodHandler:
    behaviour = (handler.unary_unary or handler.unary_stream or handler.stream_unary or handler.stream_stream)

    def call(request: Any, context: grpc.ServicerContext) -> Any:
        if not slots.try_acquire():
            _busy(context, slots)
        try:
            return behaviour(request, context)
        finally:
            slots.release()

    def stream(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        if not slots.try_acquire():
            _busy(context, slots)
        try:
            yield from behaviour(request, context)
        finally:
            slots.release()

    wrapped = stream if handler.response_streaming else call
    make = {(False, False): grpc.unary_unary_rpc_method_handler, (False, True): grpc.unary_stream_rpc_method_handler,
            (True, False): grpc.stream_unary_rpc_method_handler, (True, True): grpc.stream_stream_rpc_method_handler}
    return make[(handler.request_streaming, handler.response_streaming)](
        wrapped, handler.request_deserializer, handler.response_serializer)


@dataclass
class OpenSession:
    """One open Session stream.

    Attributes:
        owner: Its id (``session-N``), the owner of the instances it made.
        principal: Who opened it.
        cancel: Ends the stream (its ``finally`` then closes its instances).
        last_request: Clock reading at its last request (or its start).
    """

    owner: str
    principal: Hashable
    cancel: Callable[[], Any]
    last_request: float = field(default_factory=time.monotonic)


class SessionRegistry:
    """The open Session streams, with a per-principal quota and idle timeouts.

    Args:
        max_per_principal: Most open sessions of one principal; 0 for no quota.
        empty_timeout: Seconds of silence after which a session holding no instance is closed; 0 for never.
        idle_timeout: Seconds of silence after which any session is closed; 0 for never.
        holds: Whether a session (by owner id) holds instances.
        clock: Monotonic clock in seconds.
    """

    def __init__(self, max_per_principal: int = 0, empty_timeout: float = 0.0, idle_timeout: float = 0.0,
                 holds: Callable[[str], bool] = lambda owner: False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_per_principal = max_per_principal
        self.empty_timeout = empty_timeout
        self.idle_timeout = idle_timeout
        self._holds = holds
        self._clock = clock
        self._lock = threading.Lock()
        self._open: dict[str, OpenSession] = {}

    def open(self, owner: str, principal: Hashable, cancel: Callable[[], Any]) -> OpenSession:
        """Registers a new session.

        Raises:
            TooManySessions: When ``principal`` already has its quota of open sessions.
        """
        with self._lock:
            held = sum(1 for s in self._open.values() if s.principal == principal)
            if self.max_per_principal and held >= self.max_per_principal:
                raise TooManySessions(f"'{principal}' already has {held} open sessions, the limit per caller "
                                      f"(--max-sessions-per-principal) is {self.max_per_principal}; close one first")
            session = OpenSession(owner, principal, cancel, self._clock())
            self._open[owner] = session
            return session

    def touch(self, session: OpenSession) -> None:
        """Marks a request on ``session`` now."""
        session.last_request = self._clock()

    def close(self, owner: str) -> None:
        """Forgets a session (idempotent)."""
        with self._lock:
            self._open.pop(owner, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)

    def reap(self) -> list[str]:
        """Cancels sessions silent for too long (see the module docstring); returns their owner ids."""
        now = self._clock()
        with self._lock:
            sessions = list(self._open.values())
        reaped = []
        for session in sessions:
            silent = now - session.last_request
            if self.idle_timeout and silent > self.idle_timeout:
                why = f"it sent nothing for {silent:.0f} s (--session-idle-timeout {self.idle_timeout:g})"
            elif self.empty_timeout and silent > self.empty_timeout and not self._holds(session.owner):
                why = f"it held no instance and sent nothing for {silent:.0f} s (--empty-session-timeout " \
                      f"{self.empty_timeout:g})"
            else:
                continue
            logger.info("closing %s of %s: %s", session.owner, session.principal, why)
            self.close(session.owner)
            session.cancel()
            reaped.append(session.owner)
        return reaped
