"""The env server's one exception tree; every error carries the gRPC status code name its transport reports.

Messages are final user text: they name the environment id or instance and give expected versus actual values. A
transport turns an :class:`EnvServerError` into its own status (gRPC status code, HTTP status) without rewording it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class EnvServerError(Exception):
    """Base of every error the server reports to a client.

    Attributes:
        code: Name of the gRPC status code, e.g. ``"INVALID_ARGUMENT"`` (``grpc.StatusCode[code]``).
        message: The user-facing message.
    """

    code: str = "UNKNOWN"

    def __init__(self, code: str | None = None, message: str = "") -> None:
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(message)


class _CodedError(EnvServerError):
    """An error whose status code is fixed by its class; constructed from the message alone."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


class InvalidAction(_CodedError):
    """An action does not belong to the action space (shape, dtype, NaN, bounds)."""

    code = "INVALID_ARGUMENT"


class InvalidArgument(_CodedError):
    """A malformed request: bad tensor bytes, unknown dtype, duplicate ids, bad keyword arguments."""

    code = "INVALID_ARGUMENT"


class UnknownEnvironment(_CodedError):
    """No environment is registered under the requested id."""

    code = "NOT_FOUND"


class EnvironmentNotAllowed(_CodedError):
    """The environment id (or entry point) exists but is not on the server's allowlist."""

    code = "PERMISSION_DENIED"


class DependencyMissing(_CodedError):
    """The environment exists but needs a Python package this server lacks; the message names it and its extra."""

    code = "FAILED_PRECONDITION"


class ResetNeeded(_CodedError):
    """Step before the first reset, or after the episode ended."""

    code = "FAILED_PRECONDITION"


class InstanceNotFound(_CodedError):
    """The instance id is unknown, was closed, or expired after the idle timeout."""

    code = "NOT_FOUND"


class TooManyInstances(_CodedError):
    """The server's instance limit is reached."""

    code = "RESOURCE_EXHAUSTED"


class UnsupportedSpace(_CodedError):
    """The environment uses a space the gymlink.v1 protocol cannot carry (e.g. Text, Graph, Sequence)."""

    code = "UNIMPLEMENTED"


class EnvironmentFailed(_CodedError):
    """The environment itself raised; the message names the env id, instance and exception, never a traceback."""

    code = "INTERNAL"


def shape_text(shape: Iterable[int]) -> str:
    """A shape as the Java client writes it (``[3]``, ``[2, 3]``, ``[]``), so both sides give the same messages."""
    return "[" + ", ".join(str(int(d)) for d in tuple(shape)) + "]"


ECHO_LIMIT = 100
"""Most characters of client input a message echoes: a 1 MB id must not come back in full."""


def echo(value: Any, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)`` cut to about ``limit`` characters, for quoting client input in a message."""
    try:
        text = repr(value)
    except RecursionError:
        return "<a value nested too deeply to show>"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters (for ids quoted as ``'...'`` in messages)."""
    return text if len(text) <= limit else text[:limit - 3] + "..."
