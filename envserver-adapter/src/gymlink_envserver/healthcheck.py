"""Container health probe: asks a running env server's gRPC health service whether it is SERVING.

Used by the Docker image's HEALTHCHECK (``python -m gymlink_envserver.healthcheck``). Exits 0 when the server
answers SERVING, 1 otherwise, printing one line either way. The address defaults to the one the container's
server listens on: ``GYMLINK_HOST`` / ``GYMLINK_PORT`` (a wildcard host is probed on loopback). A TLS server is
probed over TLS with ``--tls-ca`` (``GYMLINK_TLS_CA``) and, when its certificate does not name the probed host,
``--tls-server-name`` (``GYMLINK_TLS_SERVER_NAME``). The health service needs no token.
"""

from __future__ import annotations

import argparse
import os
import sys

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}


def probe(target: str, service: str, timeout: float, tls_ca: str | None = None,
          server_name: str | None = None) -> tuple[bool, str]:
    """Returns (serving, one-line description) for the health of ``service`` at ``target`` (over TLS with a CA)."""
    if tls_ca:
        with open(tls_ca, "rb") as roots:
            credentials = grpc.ssl_channel_credentials(root_certificates=roots.read())
        options = [("grpc.ssl_target_name_override", server_name)] if server_name else []
        channel = grpc.secure_channel(target, credentials, options=options)
    else:
        channel = grpc.insecure_channel(target)
    with channel:
        stub = health_pb2_grpc.HealthStub(channel)
        try:
            reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout)
        except grpc.RpcError as error:
            detail = f"{error.code().name} {error.details()}"
            return False, f"env server at {target} did not answer the health check: {detail}"
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    return reply.status == health_pb2.HealthCheckResponse.SERVING, f"env server at {target} is {status}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: probe once and exit 0 (SERVING) or 1."""
    parser = argparse.ArgumentParser(
        prog="python -m gymlink_envserver.healthcheck", description=__doc__.splitlines()[0]
    )
    host = os.environ.get("GYMLINK_HOST", "127.0.0.1")
    parser.add_argument("--host", default="127.0.0.1" if host in _WILDCARDS else host)
    parser.add_argument("--port", type=int, default=int(os.environ.get("GYMLINK_PORT", "50051")))
    parser.add_argument("--service", default="", help="health service name; '' is the whole server")
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the answer")
    parser.add_argument("--tls-ca", default=os.environ.get("GYMLINK_TLS_CA") or None,
                        help="PEM CA of a TLS server's certificate (default: GYMLINK_TLS_CA; unset: plaintext)")
    parser.add_argument("--tls-server-name", default=os.environ.get("GYMLINK_TLS_SERVER_NAME") or None,
                        help="name the server's certificate holds, when not the probed host")
    args = parser.parse_args(argv)
    serving, line = probe(f"{args.host}:{args.port}", args.service, args.timeout, args.tls_ca, args.tls_server_name)
    print(line, flush=True)
    return 0 if serving else 1


if __name__ == "__main__":
    sys.exit(main())
