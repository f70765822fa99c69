"""The ``gymlink-envserver`` command: parses flags, starts the server and stops it cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from gymlink_envserver import PROTOCOL_VERSION, __version__, http_options
from gymlink_envserver.auth import TlsFiles
from gymlink_envserver.errors import EnvServerError
from gymlink_envserver.kwargs_policy import KwargsPolicy
from gymlink_envserver.registry import parse_allow
from gymlink_envserver.server import EnvServer, ServerConfig

logger = logging.getLogger("gymlink_envserver")


def build_parser() -> argparse.ArgumentParser:
    """The command's argument parser."""
    defaults = ServerConfig()
    parser = argparse.ArgumentParser(
        prog="gymlink-envserver",
        description="Serves Gymnasium environments over gRPC (protocol gymlink.v1).")
    parser.add_argument("--host", default=defaults.host, help="interface to bind (default: %(default)s, loopback)")
    parser.add_argument("--port", type=int, default=defaults.port,
                        help="TCP port; 0 picks a free one and prints it (default: %(default)s)")
    parser.add_argument("--allow", default="", metavar="ID,...",
                        help="extra environment ids or module:Class entry points to allow, comma-separated "
                             "(Gymnasium's own classic control, toy text, Box2D and MuJoCo ids are always allowed)")
    parser.add_argument("--max-instances", type=int, default=defaults.max_instances, metavar="N",
                        help="most live instances, 0 = unlimited (default: %(default)s)")
    parser.add_argument("--idle-timeout", type=float, default=defaults.idle_timeout, metavar="S",
                        help="close instances untouched for S seconds, 0 = never (default: %(default)s)")
    parser.add_argument("--max-workers", type=int, default=None, metavar="N",
                        help="concurrent gRPC calls (each open session holds one; health checks need none); "
                             "default: max-instances + 16, or 256 when unlimited")
    parser.add_argument("--max-instances-per-principal", type=int, default=None, metavar="N",
                        help="most live instances of one caller (token), 0 = no quota (default: half of "
                             "--max-instances with --tokens, else none)")
    parser.add_argument("--max-sessions-per-principal", type=int, default=None, metavar="N",
                        help="most open session streams of one caller (token), 0 = no quota (default: half of "
                             "the call slots with --tokens, else none)")
    parser.add_argument("--empty-session-timeout", type=float, default=defaults.empty_session_timeout, metavar="S",
                        help="close a session stream that holds no instance and sends nothing for S seconds, "
                             "0 = never (default: %(default)s)")
    parser.add_argument("--session-idle-timeout", type=float, default=defaults.session_idle_timeout, metavar="S",
                        help="close any session stream (and its instances) that sends nothing for S seconds, "
                             "0 = never (default: %(default)s)")
    parser.add_argument("--grace", type=float, default=defaults.grace, metavar="S",
                        help="seconds in-flight calls get to finish on SIGTERM (default: %(default)s)")
    parser.add_argument("--step-threads", type=int, default=defaults.step_threads, metavar="N",
                        help="threads that step the waiting environments of a batch at once (osim-rl, "
                             "--concurrent-step ids; default: %(default)s)")
    parser.add_argument("--concurrent-step", default="", metavar="ID,...",
                        help="environment ids whose steps mostly wait (I/O, a remote simulator) and may run "
                             "concurrently in a batch; environments can also declare it themselves")
    parser.add_argument("--kwargs-policy", default=None, metavar="FILE",
                        help="JSON file of extra client kwargs to accept per environment, with bounds (and "
                             "directories for path kwargs such as xml_file); see the README, 'Client kwargs'")
    parser.add_argument("--test-envs", action="store_true",
                        help="register and allow the GymlinkTest/* environments used by the test suites")
    parser.add_argument("--exit-with-stdin", action="store_true",
                        help="stop when standard input reaches end of file: a launcher that holds a pipe to it "
                             "takes the server down with it, even when the launcher is killed")
    security = parser.add_argument_group("security (required beyond loopback; README, 'Securing the server')")
    security.add_argument("--tokens", default=None, metavar="FILE",
                          help="bearer tokens, one 'TOKEN [NAME]' per line: every call then needs "
                               "'authorization: Bearer TOKEN', and instances belong to the NAME that made them "
                               "(in grader mode: also the participants)")
    security.add_argument("--tls-cert", default=None, metavar="FILE", help="PEM certificate chain: serve gRPC over TLS")
    security.add_argument("--tls-key", default=None, metavar="FILE", help="PEM private key of --tls-cert")
    security.add_argument("--tls-client-ca", default=None, metavar="FILE",
                          help="PEM CA bundle: also require client certificates it signed (mutual TLS)")
    security.add_argument("--insecure", action="store_true",
                          help="allow listening beyond loopback without TLS and tokens (a private network only)")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"],
                        help="log level (default: %(default)s)")
    http_options.add_arguments(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__} ({PROTOCOL_VERSION})")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Runs the server until SIGTERM or SIGINT; returns the exit code (0 after a clean stop, 2 on bad flags)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = ServerConfig(host=args.host, port=args.port, allow=tuple(parse_allow(args.allow)),
                              max_instances=args.max_instances, idle_timeout=args.idle_timeout,
                              test_envs=args.test_envs, max_workers=args.max_workers, grace=args.grace,
                              step_threads=args.step_threads,
                              concurrent_step=tuple(parse_allow(args.concurrent_step, "--concurrent-step")),
                              kwargs_policy=args.kwargs_policy, tokens=args.tokens, tls=_tls(parser, args),
                              insecure=args.insecure, max_instances_per_principal=args.max_instances_per_principal,
                              max_sessions_per_principal=args.max_sessions_per_principal,
                              empty_session_timeout=args.empty_session_timeout,
                              session_idle_timeout=args.session_idle_timeout)
        KwargsPolicy.load(args.kwargs_policy)
    except (ValueError, EnvServerError) as error:
        parser.error(str(error))
    grader = http_options.validate(parser, args)
    logger.info("gymlink-envserver %s (%s) starting: %s", __version__, PROTOCOL_VERSION, config)
    try:
        server = EnvServer(config)
        server.start()
    except ValueError as error:
        print(f"gymlink-envserver: error: {error}", file=sys.stderr, flush=True)
        return 2
    except OSError as error:
        logger.error("%s", error)
        return 1
    stop = threading.Event()
    try:
        http = http_options.start(args, server.table, grader, on_shutdown=stop.set,
                                  authenticator=server.authenticator)
    except ValueError as error:
        print(f"gymlink-envserver: error: {error}", file=sys.stderr, flush=True)
        server.stop(0)
        return 2
    except OSError as error:
        logger.error("%s", error)
        server.stop(0)
        return 1
    if http is not None:
        # Printed before the gRPC line, so a launcher that waits for that line has read this one too.
        print(f"gymlink-envserver http listening on {http.target}", flush=True)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda received, _frame: _request_stop(stop, received))
    if args.exit_with_stdin:
        threading.Thread(target=_stop_at_stdin_eof, args=(stop,), name="stdin-watch", daemon=True).start()
    logger.info("serving %d allowed environment(s) with %d worker threads",
                len(server.table.allowlist.ids()), config.workers)
    print(f"gymlink-envserver listening on {server.target}", flush=True)
    stop.wait()
    if http is not None:
        http.stop()
    if not server.stop():
        # An env call that outlived the grace period (a step that never ends): Python would wait for its thread
        # at exit, forever. Its RPC is already cancelled and everything else is closed, so leave now.
        logger.warning("exiting with a call still running after the %g s grace period", config.grace)
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)
    return 0


def _tls(parser: argparse.ArgumentParser, args: argparse.Namespace) -> TlsFiles | None:
    if not (args.tls_cert or args.tls_key or args.tls_client_ca):
        return None
    if not (args.tls_cert and args.tls_key):
        parser.error("TLS needs both --tls-cert and --tls-key")
    return TlsFiles(args.tls_cert, args.tls_key, args.tls_client_ca)


def _stop_at_stdin_eof(stop: threading.Event) -> None:
    """Blocks until standard input closes (the launcher exited or died), then asks the server to stop."""
    try:
        while sys.stdin.buffer.read1(4096):
            pass
    except (OSError, ValueError):
        pass
    logger.info("standard input closed (the launcher is gone), shutting down")
    stop.set()


def _request_stop(stop: threading.Event, signum: int) -> None:
    logger.info("received %s, shutting down", signal.Signals(signum).name)
    stop.set()


if __name__ == "__main__":
    sys.exit(main())
