"""The ``--http-*`` and ``--grader`` flags of ``gymlink-envserver`` and the HTTP server they start."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from pathlib import Path

from gymlink_envserver.auth import TokenAuthenticator, check_exposure
from gymlink_envserver.grader import (
    OSIM_RL_VERSION,
    GraderConfig,
    GraderSessions,
    installed_osim_rl_version,
    read_tokens,
)
from gymlink_envserver.http_api import HttpServer, create_app
from gymlink_envserver.http_sessions import OpenSessions
from gymlink_envserver.instances import InstanceTable

logger = logging.getLogger("gymlink_envserver")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the HTTP and grader flags to the server's parser."""
    http = parser.add_argument_group("gym-http-api transport")
    http.add_argument("--http-port", type=int, default=None, metavar="PORT",
                      help="also serve the gym-http-api routes on this port (off when absent; 0 picks a free one "
                           "and prints it)")
    http.add_argument("--http-threads", type=int, default=16, metavar="N",
                      help="HTTP request threads (default: %(default)s)")
    http.add_argument("--http-allow-shutdown", action="store_true",
                      help="let POST /v1/shutdown/ stop the server (off by default)")
    grader = parser.add_argument_group("grader mode (the NeurIPS osim-rl challenge flow, on the HTTP port)")
    grader.add_argument("--grader", action="store_true", help="serve the HTTP routes as a challenge grader")
    grader.add_argument("--seeds", default=None, metavar="S,...",
                        help="the fixed evaluation seeds, one episode each (required with --grader)")
    grader.add_argument("--grader-version", default=None, metavar="V",
                        help="osim-rl version clients must report (default: the installed osim-rl's, else "
                             "the version the [osim] extra pins)")
    grader.add_argument("--grader-max-envs", type=int, default=3, metavar="N",
                        help="environments one participant may hold at once (default: %(default)s)")
    grader.add_argument("--grader-ttl", type=float, default=1200.0, metavar="S",
                        help="seconds after creation an environment expires (default: %(default)s)")
    grader.add_argument("--grader-results", default=None, metavar="FILE",
                        help="append one JSON line per scored submission to FILE")


def validate(parser: argparse.ArgumentParser, args: argparse.Namespace) -> GraderConfig | None:
    """Checks the flags together; returns the grader config in grader mode (exits with a usage error otherwise)."""
    if args.http_port is not None and not 0 <= args.http_port <= 65535:
        parser.error(f"--http-port is {args.http_port}, expected 0..65535")
    if args.http_threads < 1:
        parser.error(f"--http-threads is {args.http_threads}, expected >= 1")
    if not args.grader:
        return None
    if args.http_port is None:
        parser.error("--grader serves on the HTTP port: add --http-port PORT")
    if not args.seeds or not args.tokens:
        parser.error("--grader needs --seeds S,... and --tokens FILE")
    try:
        seeds = tuple(int(s) for s in args.seeds.split(",") if s.strip())
        tokens = read_tokens(args.tokens)
        return GraderConfig(
            seeds=seeds, tokens=tokens,
            version=args.grader_version or installed_osim_rl_version() or OSIM_RL_VERSION,
            max_envs=args.grader_max_envs, ttl=args.grader_ttl,
            results=Path(args.grader_results) if args.grader_results else None)
    except (OSError, ValueError) as error:
        parser.error(str(error))
    return None


def start(args: argparse.Namespace, table: InstanceTable, grader: GraderConfig | None,
          on_shutdown: Callable[[], None], authenticator: TokenAuthenticator | None = None) -> HttpServer | None:
    """Starts the HTTP server when ``--http-port`` is given; returns it (None when HTTP is off).

    Args:
        args: The parsed flags.
        table: The server's instance table.
        grader: Grader mode's settings, or None.
        on_shutdown: What ``POST /v1/shutdown/`` calls (with ``--http-allow-shutdown``).
        authenticator: The server's tokens; HTTP requests then need a bearer token (not in grader mode, whose
            clients send their token in the create request instead).

    Raises:
        ValueError: When the bind rule refuses the HTTP transport's address (it has no TLS).
        OSError: When the port cannot be bound.
    """
    if args.http_port is None:
        return None
    warning = check_exposure(args.host, tls=False, tokens=authenticator is not None, insecure=args.insecure,
                             what="the HTTP transport (plain HTTP: put a TLS proxy in front of it)")
    if warning:
        logger.warning("%s", warning)
    sessions = GraderSessions(table, grader) if grader is not None else OpenSessions(table)
    app = create_app(sessions, on_shutdown if args.http_allow_shutdown else None,
                     authenticator=None if grader is not None else authenticator)
    server = HttpServer(app, args.host, args.http_port, threads=args.http_threads)
    server.start()
    return server
