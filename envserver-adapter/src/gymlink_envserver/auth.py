"""Who is calling: bearer tokens on gRPC and HTTP, TLS settings, and the bind rule beyond loopback.

A tokens file (``--tokens FILE``, the grader's format: one ``TOKEN [NAME]`` per line) turns authentication on: every
gRPC call but the health check, and every HTTP request, must carry ``authorization: Bearer TOKEN``; the token's
NAME is the caller's *principal*. Instances belong to the principal that made them (or, without tokens, to the
session stream that made them); anyone else gets NOT_FOUND for them and never sees them listed
(:class:`gymlink_envserver.instances.InstanceTable`).

A server that listens beyond loopback must have TLS and tokens, or be started with ``--insecure``
(:func:`check_exposure`).
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc

ANONYMOUS = "anonymous"
"""The principal of every caller when the server has no tokens file."""

HEALTH_PREFIX = "/grpc.health.v1.Health/"
"""Health checks need no token: probes (Docker, Kubernetes) cannot send one, and the answer reveals nothing."""


class Unauthenticated(Exception):
    """A call without a valid bearer token; the message says what was wrong (never the token)."""


class TokenAuthenticator:
    """Maps bearer tokens to principal names; lookups hash the presented token first.

    Args:
        tokens: Token to principal name (:func:`gymlink_envserver.grader.read_tokens`).
    """

    def __init__(self, tokens: Mapping[str, str]) -> None:
        if not tokens:
            raise ValueError("tokens are empty, expected at least one 'TOKEN [NAME]' line")
        # Keyed by digest, so that how long a lookup takes says nothing about how close a guess was.
        self._names = {_digest(token): name for token, name in tokens.items()}

    def principal(self, authorization: str | None) -> str:
        """The principal of an ``authorization`` header value.

        Raises:
            Unauthenticated: When the value is missing, not ``Bearer TOKEN``, or names no known token.
        """
        if not authorization:
            raise Unauthenticated("this server needs a bearer token: send the header 'authorization: Bearer TOKEN' "
                                  "(gymlink: --token-file FILE or GYMLINK_TOKEN)")
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("the authorization header is not 'Bearer TOKEN'")
        name = self._names.get(_digest(token.strip()))
        if name is None:
            raise Unauthenticated("the bearer token is not valid on this server")
        return name


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).digest()


def grpc_authorization(metadata: Iterable[tuple[str, Any]] | None) -> str | None:
    """The ``authorization`` value of gRPC invocation metadata, or None."""
    for key, value in metadata or ():
        if key == "authorization":
            return value if isinstance(value, str) else value.decode("utf-8", errors="replace")
    return None


class AuthInterceptor(grpc.ServerInterceptor):
    """Refuses gRPC calls without a valid bearer token with UNAUTHENTICATED (health checks pass freely)."""

    def __init__(self, authenticator: TokenAuthenticator) -> None:
        self._authenticator = authenticator

    def intercept_service(self, continuation: Callable, handler_call_details: grpc.HandlerCallDetails) -> Any:  # noqa: D102
        if handler_call_details.method.startswith(HEALTH_PREFIX):
            return continuation(handler_call_details)
        try:
            self._authenticator.principal(grpc_authorization(handler_call_details.invocation_metadata))
        except Unauthenticated as error:
            return _refusal(continuation(handler_call_details), str(error))
        return continuation(handler_call_details)


def _refusal(handler: grpc.RpcMethodHandler | None, message: str) -> grpc.RpcMethodHandler:
    """A handler of the same shape as ``handler`` that answers UNAUTHENTICATED without reading the requests."""

    def refuse(_request: Any, context: grpc.ServicerContext) -> None:
        context.abort(grpc.StatusCode.UNAUTHENTICATED, message)

    if handler is not None and handler.request_streaming and handler.response_streaming:
        return grpc.stream_stream_rpc_method_handler(refuse)
    if handler is not None and handler.request_streaming:
        return grpc.stream_unary_rpc_method_handler(refuse)
    if handler is not None and handler.response_streaming:
        return grpc.unary_stream_rpc_method_handler(refuse)
    return grpc.unary_unary_rpc_method_handler(refuse)


def principal_of(context: grpc.ServicerContext, authenticator: TokenAuthenticator | None) -> str:
    """The caller's principal inside a handler (the interceptor has already refused bad tokens)."""
    if authenticator is None:
        return ANONYMOUS
    return authenticator.principal(grpc_authorization(context.invocation_metadata()))


@dataclass(frozen=True)
class TlsFiles:
    """The server's TLS material (``--tls-cert``, ``--tls-key``, ``--tls-client-ca``).

    Attributes:
        cert: PEM certificate chain of the server.
        key: PEM private key of the server.
        client_ca: PEM CA bundle; when set, clients must present a certificate it signed (mutual TLS).
    """

    cert: str
    key: str
    client_ca: str | None = None

    def grpc_credentials(self) -> grpc.ServerCredentials:
        """The server credentials for gRPC.

        Raises:
            ValueError: Naming a file that cannot be read.
        """
        chain, key = _read(self.cert, "--tls-cert"), _read(self.key, "--tls-key")
        roots = _read(self.client_ca, "--tls-client-ca") if self.client_ca else None
        return grpc.ssl_server_credentials([(key, chain)], root_certificates=roots,
                                           require_client_auth=roots is not None)


def _read(path: str, flag: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ValueError(f"{flag} {path}: {error.strerror}") from None


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` exposes nothing beyond this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, tls: bool, tokens: bool, insecure: bool, what: str = "the server") -> str | None:
    """The bind rule: beyond loopback, TLS and tokens are required unless ``insecure``.

    Returns:
        A warning line to log when ``insecure`` lets an unprotected server listen beyond loopback, else None.

    Raises:
        ValueError: The one-line refusal, naming what is missing and the flags that fix it.
    """
    if is_loopback(host) or (tls and tokens):
        return None
    missing = " and ".join(name for name, present in (("TLS", tls), ("a tokens file", tokens)) if not present)
    if insecure:
        return f"{what} listens on {host} without {missing} (--insecure): anyone who can reach it can use it"
    raise ValueError(f"refusing to listen on {host} without {missing}: give --tls-cert/--tls-key and --tokens, "
                     "bind --host 127.0.0.1, or accept the risk with --insecure")
