"""Decodes gRPC requests in our own code, so that an undecodable request costs nothing and gets INVALID_ARGUMENT.

grpcio's own deserialization path answers an undecodable request (garbage bytes, invalid UTF-8, truncated varints,
nesting beyond the parser's depth limit) with INTERNAL "Exception deserializing request!" and keeps ~20 KB of it
alive for good: 30,000 such requests cost half a gigabyte. Every method of the server is therefore registered
without a deserializer (grpcio then hands over the bytes) and decoded by :func:`decode_request`, which never raises
anything but :class:`~gymlink_envserver.errors.InvalidArgument`. ``EnvService`` does this in its own registration
(:func:`gymlink_envserver.service.add_to_server`); :class:`DecodingInterceptor` does it for the health and reflection
services, whose registration grpcio owns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc

from gymlink_envserver.errors import InvalidArgument

# upb's reasons for refusing bytes, in the words a client needs.
_DECODE_REASONS = {
    "Wire format was corrupt": "the protobuf wire format is corrupt",
    "String field had bad UTF-8": "a string field is not valid UTF-8",
    "Exceeded upb_DecodeOptions_MaxDepth": "messages are nested deeper than the parser's limit of 100",
}


def decode_request(parse: Callable[[bytes], Any], raw: bytes, what: str) -> Any:
    """Parses the bytes of one request with ``parse`` (a message class's ``FromString``).

    Args:
        parse: The parser.
        raw: The request's bytes.
        what: The message or method name, for the error message.

    Raises:
        InvalidArgument: "malformed request: ..." naming ``what``, the size and the parser's reason.
    """
    try:
        return parse(raw)
    except Exception as error:  # noqa: BLE001 - DecodeError, RecursionError, anything: the request is malformed
        reason = str(error).rsplit(": ", 1)[-1]
        reason = _DECODE_REASONS.get(reason, reason[:100])
        raise InvalidArgument(f"malformed request: {len(raw)} bytes are not a valid {what}: {reason}") from None


class DecodingInterceptor(grpc.ServerInterceptor):
    """Turns every handler that has a deserializer into a bytes-in handler that decodes with :func:`decode_request`.

    Undecodable requests are answered INVALID_ARGUMENT (a stream is ended with it) instead of grpcio's INTERNAL.
    """

    def intercept_service(self, continuation: Callable, handler_call_details: grpc.HandlerCallDetails) -> Any:  # noqa: D102
        handler = continuation(handler_call_details)
        if handler is None or handler.request_deserializer is None:
            return handler
        return _bytes_in(handler, f"request of {handler_call_details.method}")


def _bytes_in(handler: grpc.RpcMethodHandler, what: str) -> grpc.RpcMethodHandler:
    parse, serialize = handler.request_deserializer, handler.response_serializer

    def one(raw: bytes, context: grpc.ServicerContext) -> Any:
        try:
            return decode_request(parse, raw, what)
        except InvalidArgument as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, error.message)

    def many(raws: Iterator[bytes], context: grpc.ServicerContext) -> Iterator[Any]:
        for raw in raws:
            yield one(raw, context)

    if handler.request_streaming and handler.response_streaming:
        return grpc.stream_stream_rpc_method_handler(
            lambda raws, context: handler.stream_stream(many(raws, context), context), None, serialize)
    if handler.request_streaming:
        return grpc.stream_unary_rpc_method_handler(
            lambda raws, context: handler.stream_unary(many(raws, context), context), None, serialize)
    if handler.response_streaming:
        return grpc.unary_stream_rpc_method_handler(
            lambda raw, context: handler.unary_stream(one(raw, context), context), None, serialize)
    return grpc.unary_unary_rpc_method_handler(
        lambda raw, context: handler.unary_unary(one(raw, context), context), None, serialize)
