"""The gym-http-api transport: openai/gym-http-api's routes over the server's :class:`InstanceTable`.

Routes, JSON shapes, trailing slashes, status codes and error messages are upstream's (see the gymlink README),
so the upstream Python client and its ports (e.g. deeplearning4j's gym-java-client) work unchanged. Additions
that old clients ignore: ``seed`` (0 included), ``kwargs`` and ``max_episode_steps`` on create; ``seed`` and
``options`` on reset, which answers ``info`` too; ``terminated`` and ``truncated`` next to ``done``; full
descriptions of Dict, Tuple, MultiDiscrete and MultiBinary spaces (:mod:`gymlink_envserver.http_codec`);
``GET /v1/envs/{id}/spec/``; and a ``type`` next to every error ``message`` naming the error class.

Flask gives exactly upstream's routing behaviour (upstream is a Flask app: a missing trailing slash is redirected,
an extra one is a 404); waitress, a pure-Python production WSGI server with a thread pool and HTTP/1.1
keep-alive, serves it in a background thread next to gRPC. Calls on one instance are serialised by the instance's
lock; calls on different instances run in parallel.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from gymlink_envserver import http_codec
from gymlink_envserver.auth import ANONYMOUS, TokenAuthenticator, Unauthenticated
from gymlink_envserver.errors import EnvServerError, InvalidAction, InvalidArgument
from gymlink_envserver.http_sessions import OpenSessions

logger = logging.getLogger("gymlink_envserver")

MAX_BODY_BYTES = 1 << 20
"""Largest request body (1 MiB: a 64x64 FrozenLake desc or a 10,000-float action fit easily); larger ones get 413."""


class BadRequest(EnvServerError):
    """A request the protocol itself rejects (not JSON, a required parameter missing); HTTP 400."""

    code = "INVALID_ARGUMENT"

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


def create_app(sessions: OpenSessions, on_shutdown: Callable[[], None] | None = None,
               authenticator: TokenAuthenticator | None = None, max_body_bytes: int = MAX_BODY_BYTES) -> Flask:
    """Builds the Flask app serving the gym-http-api routes.

    Args:
        sessions: Who makes, finds and scores instances: :class:`OpenSessions`, or a grader's sessions.
        on_shutdown: Called by ``POST /v1/shutdown/``; None answers that route with 400 (shutdown disabled).
        authenticator: When given, every request needs ``Authorization: Bearer TOKEN`` (401 otherwise) and sees
            only its principal's instances.
        max_body_bytes: Largest request body; larger ones get 413.
    """
    app = Flask("gymlink_envserver.http")
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = max_body_bytes

    @app.before_request
    def _authenticate() -> tuple[Response, int] | None:
        g.principal = ANONYMOUS
        if authenticator is None:
            return None
        try:
            g.principal = authenticator.principal(request.headers.get("Authorization"))
        except Unauthenticated as error:
            response = jsonify(message=str(error), type="Unauthenticated")
            response.headers["WWW-Authenticate"] = 'Bearer realm="gymlink"'
            return response, 401
        return None

    @app.errorhandler(EnvServerError)
    def _env_error(error: EnvServerError) -> tuple[Response, int]:
        return jsonify(message=error.message, type=type(error).__name__), getattr(error, "http_status", 400)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response | tuple[Response, int]:
        if error.code is not None and 300 <= error.code < 400:
            return error.get_response()
        return jsonify(message=f"{request.method} {request.path}: {error.description}",
                       type=type(error).__name__), error.code or 400

    @app.errorhandler(RecursionError)
    def _too_deep(error: RecursionError) -> tuple[Response, int]:
        # Only client input nests this deeply (a body just inside the JSON parser's limit, then walked again).
        return jsonify(message=f"{request.method} {request.path}: the request is nested too deeply",
                       type="BadRequest"), 400

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response, int]:
        logger.error("%s %s failed", request.method, request.path, exc_info=error)
        return jsonify(message=f"{request.method} {request.path} failed on the server: "
                               f"{type(error).__name__}: {error}", type="InternalError"), 500

    @app.post("/v1/envs/")
    def env_create() -> Response:
        body = _json_object()
        env_id = _required(body, "env_id")
        if not isinstance(env_id, str):
            raise BadRequest(f"env_id is {env_id!r}, expected a string such as 'CartPole-v1'")
        seed = _optional_int(body, "seed")
        kwargs = body.get("kwargs") or {}
        if not isinstance(kwargs, dict):
            raise BadRequest(f"kwargs is {kwargs!r}, expected an object of keyword arguments")
        max_steps = _optional_int(body, "max_episode_steps")
        return jsonify(instance_id=sessions.create(env_id, kwargs, max_steps, seed, body, g.principal))

    @app.get("/v1/envs/")
    def env_list_all() -> Response:
        return jsonify(all_envs=sessions.list_all(g.principal))

    @app.post("/v1/envs/<instance_id>/reset/")
    def env_reset(instance_id: str) -> Response:
        body = _parse_body()
        body = body if isinstance(body, dict) else {}
        options = body.get("options") or {}
        if not isinstance(options, dict):
            raise BadRequest(f"options is {options!r}, expected an object")
        instance = sessions.lookup(instance_id, g.principal)
        observation, info = sessions.reset(instance, _optional_int(body, "seed"), options)
        return jsonify(observation=http_codec.encode(instance.observation_space, observation),
                       info=http_codec.jsonable(info))

    @app.post("/v1/envs/<instance_id>/step/")
    def env_step(instance_id: str) -> Response:
        body = _json_object()
        raw_action = _required(body, "action")
        instance = sessions.lookup(instance_id, g.principal)
        try:
            action = http_codec.decode(instance.action_space, raw_action)
        except ValueError as problem:
            raise InvalidAction(f"action for '{instance.env_id}' {problem}") from None
        observation, reward, terminated, truncated, info = sessions.step(instance, action)
        return jsonify(observation=http_codec.encode(instance.observation_space, observation),
                       reward=http_codec.jsonable(reward), done=terminated or truncated,
                       terminated=terminated, truncated=truncated, info=http_codec.jsonable(info))

    @app.get("/v1/envs/<instance_id>/action_space/")
    def env_action_space_info(instance_id: str) -> Response:
        return jsonify(info=http_codec.space_info(sessions.lookup(instance_id, g.principal).action_space))

    @app.get("/v1/envs/<instance_id>/observation_space/")
    def env_observation_space_info(instance_id: str) -> Response:
        return jsonify(info=http_codec.space_info(sessions.lookup(instance_id, g.principal).observation_space))

    @app.get("/v1/envs/<instance_id>/action_space/sample")
    def env_action_space_sample(instance_id: str) -> Response:
        space = sessions.lookup(instance_id, g.principal).action_space
        return jsonify(action=http_codec.encode(space, space.sample()))

    @app.get("/v1/envs/<instance_id>/action_space/contains/<x>")
    def env_action_space_contains(instance_id: str, x: str) -> Response:
        return jsonify(member=sessions.action_contains(sessions.lookup(instance_id, g.principal), x))

    @app.post("/v1/envs/<instance_id>/observation_space/contains")
    def env_observation_space_contains(instance_id: str) -> Response:
        body = _json_object()
        instance = sessions.lookup(instance_id, g.principal)
        try:
            return jsonify(member=http_codec.matches_info(instance.observation_space, body))
        except ValueError as problem:
            raise BadRequest(str(problem)) from None

    @app.get("/v1/envs/<instance_id>/spec/")
    def env_spec(instance_id: str) -> Response:
        return jsonify(sessions.spec(sessions.lookup(instance_id, g.principal)))

    @app.post("/v1/envs/<instance_id>/monitor/start/")
    def env_monitor_start(instance_id: str) -> tuple[str, int]:
        body = _json_object()
        directory = _required(body, "directory")
        instance = sessions.lookup(instance_id, g.principal)
        sessions.monitor_start(instance, str(directory), bool(body.get("force") or False))
        return "", 204

    @app.post("/v1/envs/<instance_id>/monitor/close/")
    def env_monitor_close(instance_id: str) -> Response | tuple[str, int]:
        score = sessions.monitor_close(sessions.lookup(instance_id, g.principal))
        return ("", 204) if score is None else jsonify(reward=score)

    @app.post("/v1/envs/<instance_id>/close/")
    def env_close(instance_id: str) -> tuple[str, int]:
        sessions.close(sessions.lookup(instance_id, g.principal))
        return "", 204

    @app.post("/v1/upload/")
    def upload() -> tuple[str, int]:
        body = _json_object()
        _required(body, "training_dir")
        _required(body, "api_key")
        # The OpenAI Gym scoreboard is gone; accepting keeps old scripts finishing, and the log says what happened.
        logger.warning("POST /v1/upload/ accepted but nothing was uploaded: the OpenAI Gym upload service is gone")
        return "", 204

    @app.post("/v1/shutdown/")
    def shutdown() -> str:
        if on_shutdown is None:
            raise BadRequest("shutdown over HTTP is disabled on this server; start it with --http-allow-shutdown")
        threading.Thread(target=on_shutdown, name="gymlink-http-shutdown", daemon=True).start()
        return "Server shutting down"

    return app


def _parse_body() -> Any:
    """The request's JSON body, or None when it is not JSON."""
    try:
        return request.get_json(force=True, silent=True)
    except RecursionError:
        raise BadRequest("Request is not a valid json: it is nested too deeply") from None


def _json_object() -> dict[str, Any]:
    body = _parse_body()
    if not isinstance(body, dict):
        raise BadRequest("Request is not a valid json")
    return body


def _required(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    # Upstream's rule: null, "" and [] all count as missing.
    if value is None or value == "" or value == []:
        raise BadRequest(f"A required request parameter '{name}' was not provided")
    return value


def _optional_int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} is {value!r}, expected an integer")
    return value


class HttpServer:
    """Serves a WSGI app with waitress on a background thread; :meth:`stop` ends it.

    Args:
        app: The WSGI application.
        host: Interface to bind.
        port: TCP port; 0 picks a free one (read :attr:`port` after construction).
        threads: Request threads; calls on different instances run in parallel up to this many.
        max_body_bytes: Largest request body waitress reads (the app answers 413 beyond its own limit too).
        idle_timeout: Seconds after which a connection that sends nothing is closed.
        connection_limit: Most open connections; beyond it new ones wait until one closes.
    """

    def __init__(self, app: Any, host: str, port: int, threads: int = 16, max_body_bytes: int = MAX_BODY_BYTES,
                 idle_timeout: float = 15.0, connection_limit: int = 500) -> None:
        from waitress.server import create_server

        try:
            self._server = create_server(app, host=host, port=port, threads=threads, ident="gymlink-envserver",
                                         clear_untrusted_proxy_headers=True,
                                         # The select loop notices stop() within this many seconds.
                                         asyncore_loop_timeout=0.25,
                                         # Idle connections are closed after idle_timeout (waitress: 120 s, with a
                                         # limit of 100 connections, so 120 idle ones blocked the port), bodies are
                                         # bounded (waitress: 1 GB) and so are headers.
                                         channel_timeout=idle_timeout, cleanup_interval=max(idle_timeout / 3, 1),
                                         connection_limit=connection_limit, max_request_body_size=max_body_bytes,
                                         max_request_header_size=64 << 10)
        except OSError as error:
            raise OSError(f"cannot listen for HTTP on {host}:{port}: {error}") from error
        self.host = host
        self.port: int = self._server.effective_port
        self._thread = threading.Thread(target=self._run, name="gymlink-http", daemon=True)

    @property
    def target(self) -> str:
        """``host:port`` the HTTP server listens on."""
        return f"{self.host}:{self.port}"

    def start(self) -> int:
        """Starts serving; returns the bound port."""
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Stops accepting, closes every connection (kept-alive ones too) and stops the request threads."""
        from waitress import wasyncore

        self._server.close()
        # close() alone leaves kept-alive client connections in the loop's map, and the loop runs until they idle
        # out; closing them all ends the loop within one select timeout.
        wasyncore.close_all(self._server._map)
        self._server.task_dispatcher.shutdown(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:
            # close() from another thread makes the select loop fail on its closed socket; that is the stop.
            pass
