"""The gRPC servicer of gymlink.v1 ``EnvService``: unary RPCs and the lockstep Session stream.

Errors become gRPC statuses (unary) or ``SessionResponse.error`` (session) carrying the
:class:`~gymlink_envserver.errors.EnvServerError` message; an unexpected exception becomes INTERNAL with its type and
message only: the traceback goes to the server log, never to the client.

Requests arrive as bytes and are decoded here (:func:`add_to_server` registers the methods without grpcio's
deserializer; :mod:`gymlink_envserver.decoding` says why): a malformed request gets INVALID_ARGUMENT "malformed
request: ...", and on the Session stream an error response, after which the session goes on.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import grpc

from gymlink_envserver._proto.gymlink.v1 import env_service_pb2 as pb
from gymlink_envserver._proto.gymlink.v1 import env_service_pb2_grpc as pb_grpc
from gymlink_envserver.auth import ANONYMOUS, TokenAuthenticator, principal_of
from gymlink_envserver.decoding import decode_request
from gymlink_envserver.errors import EnvServerError, InvalidArgument
from gymlink_envserver.limits import SessionRegistry, TooManySessions
from gymlink_envserver.operations import EnvOperations

logger = logging.getLogger("gymlink_envserver")

T = TypeVar("T")

SERVICE = pb.DESCRIPTOR.services_by_name["EnvService"]


def to_status(error: Exception) -> tuple[grpc.StatusCode, str]:
    """The gRPC status code and message for an error raised while serving a request."""
    if isinstance(error, EnvServerError):
        return grpc.StatusCode[error.code], error.message
    logger.warning("unexpected error while serving a request", exc_info=error)
    return grpc.StatusCode.INTERNAL, f"server error {type(error).__name__}: {error}"


class EnvService(pb_grpc.EnvServiceServicer):
    """Serves gymlink.v1 over gRPC; all state lives in the :class:`EnvOperations` table.

    Args:
        operations: The operations on the server's instance table.
        authenticator: The server's tokens (the interceptor has refused calls without a valid one), or None.
        sessions: The open sessions, with their quota and idle timeouts (None: no limits).
    """

    def __init__(self, operations: EnvOperations, authenticator: TokenAuthenticator | None = None,
                 sessions: SessionRegistry | None = None) -> None:
        self.operations = operations
        self._authenticator = authenticator
        self.sessions = sessions if sessions is not None else SessionRegistry()
        self._session_ids = itertools.count(1)

    def _principal(self, context: grpc.ServicerContext) -> str:
        return principal_of(context, self._authenticator)

    def GetServerInfo(self, request: pb.GetServerInfoRequest, context: grpc.ServicerContext) -> pb.ServerInfo:  # noqa: D102
        return _unary(context, self.operations.server_info)

    def ListEnvironments(self, request: pb.ListEnvironmentsRequest,  # noqa: D102
                         context: grpc.ServicerContext) -> pb.ListEnvironmentsResponse:
        return _unary(context, self.operations.list_environments)

    def Make(self, request: pb.MakeRequest, context: grpc.ServicerContext) -> pb.MakeResponse:  # noqa: D102
        return _unary(context, lambda: self.operations.make(request, principal=self._principal(context)))

    def Reset(self, request: pb.ResetRequest, context: grpc.ServicerContext) -> pb.ResetResponse:  # noqa: D102
        return _unary(context, lambda: self.operations.reset(request, self._principal(context)))

    def Step(self, request: pb.StepRequest, context: grpc.ServicerContext) -> pb.StepResponse:  # noqa: D102
        return _unary(context, lambda: self.operations.step(request, self._principal(context)))

    def StepBatch(self, request: pb.StepBatchRequest,  # noqa: D102
                  context: grpc.ServicerContext) -> pb.StepBatchResponse:
        return _unary(context, lambda: self.operations.step_batch(request, self._principal(context)))

    def Close(self, request: pb.CloseRequest, context: grpc.ServicerContext) -> pb.CloseResponse:  # noqa: D102
        return _unary(context, lambda: self.operations.close(request, self._principal(context)))

    def Session(self, request_iterator: Iterator[bytes],
                context: grpc.ServicerContext) -> Iterator[pb.SessionResponse]:
        """Answers session requests in order; closes the session's instances when the stream ends, however it ends.

        A request that cannot be decoded gets an INVALID_ARGUMENT error response (``request_id`` 0: its own id is
        unreadable) and the session goes on.
        """
        owner = f"session-{next(self._session_ids)}"
        principal = self._principal(context)
        # Without tokens the session itself is the principal: nobody else can reach its instances.
        caller = owner if principal == ANONYMOUS else principal
        table = self.operations.table
        try:
            session = self.sessions.open(owner, principal, context.cancel)
        except TooManySessions as error:
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, error.message)
        # The callback covers a client that vanishes while this generator is suspended; `finally` covers the rest.
        # grpcio runs callbacks on its event-loop thread, and closing may wait for a step in progress: hand it off.
        context.add_callback(lambda: threading.Thread(target=table.close_owned, args=(owner,),
                                                      name=f"gymlink-close-{owner}", daemon=True).start())
        try:
            for raw in request_iterator:
                self.sessions.touch(session)
                try:
                    request = decode_request(pb.SessionRequest.FromString, raw, "gymlink.v1.SessionRequest")
                except InvalidArgument as error:
                    yield pb.SessionResponse(error=pb.SessionError(
                        code=grpc.StatusCode.INVALID_ARGUMENT.value[0], message=error.message))
                    continue
                yield self._answer(request, owner, caller)
        except grpc.RpcError:
            logger.debug("%s: stream broken by the client", owner)
        finally:
            self.sessions.close(owner)
            table.close_owned(owner)

    def _answer(self, request: pb.SessionRequest, owner: str, caller: str) -> pb.SessionResponse:
        op, ops, rid = request.WhichOneof("op"), self.operations, request.request_id
        try:
            if op == "make":
                return pb.SessionResponse(request_id=rid, make=ops.make(request.make, owner, caller))
            if op == "reset":
                return pb.SessionResponse(request_id=rid, reset=ops.reset(request.reset, caller))
            if op == "step":
                return pb.SessionResponse(request_id=rid, step=ops.step(request.step, caller))
            if op == "step_batch":
                return pb.SessionResponse(request_id=rid, step_batch=ops.step_batch(request.step_batch, caller))
            if op == "close":
                return pb.SessionResponse(request_id=rid, close=ops.close(request.close, caller))
            code, message = grpc.StatusCode.INVALID_ARGUMENT, "session request has no operation set"
        except Exception as error:  # noqa: BLE001 - every error goes back to the client; the session goes on
            code, message = to_status(error)
        return pb.SessionResponse(request_id=request.request_id,
                                  error=pb.SessionError(code=code.value[0], message=message))


def _unary(context: grpc.ServicerContext, call: Callable[[], T]) -> T:
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - every error becomes a status, never a traceback
        code, message = to_status(error)
        context.abort(code, message)
        raise AssertionError("unreachable: context.abort raises") from error


def add_to_server(service: EnvService, server: grpc.Server) -> None:
    """Registers ``service`` on ``server`` with bytes-in handlers, so that every request is decoded by us."""
    handlers: dict[str, grpc.RpcMethodHandler] = {}
    for method in SERVICE.methods:
        request_type = getattr(pb, method.input_type.name)
        response_type = getattr(pb, method.output_type.name)
        behaviour = getattr(service, method.name)
        if method.client_streaming:
            handlers[method.name] = grpc.stream_stream_rpc_method_handler(
                behaviour, request_deserializer=None, response_serializer=response_type.SerializeToString)
        else:
            handlers[method.name] = grpc.unary_unary_rpc_method_handler(
                _decoding(request_type, behaviour), request_deserializer=None,
                response_serializer=response_type.SerializeToString)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE.full_name, handlers),))


def _decoding(request_type: type, behaviour: Callable) -> Callable:
    def handle(raw: bytes, context: grpc.ServicerContext) -> Any:
        try:
            request = decode_request(request_type.FromString, raw, request_type.DESCRIPTOR.full_name)
        except InvalidArgument as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, error.message)
        return behaviour(request, context)

    return handle
