package io.gymlink.client;

import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.ResetNeededException;
import io.gymlink.env.TooManyInstancesException;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.proto.v1.SessionError;
import io.grpc.Status;

/**
 * Maps gRPC statuses and session errors onto gymlink's exception tree (the table in STYLE.md "Errors").
 *
 * <p>Errors the server raised on purpose carry final user text (naming the environment and the expected and actual
 * values), which is kept as it is. Transport failures get a message naming the server, the operation, the
 * environment and the instance.
 */
public final class GrpcErrors {

  private GrpcErrors() {}

  /** The exception for a failed unary call or a failed session stream. */
  static EnvException fromStatus(Status status, CallContext call) {
    return map(status.getCode(), status.getDescription(), call, status.asRuntimeException());
  }

  /** The exception for an error answered on a session stream. */
  static EnvException fromSessionError(SessionError error, CallContext call) {
    return map(Status.fromCodeValue(error.getCode()).getCode(), error.getMessage(), call, null);
  }

  private static EnvException map(Status.Code code, String description, CallContext call, Throwable cause) {
    boolean silent = description == null || description.isBlank();
    String composed = "env server at " + call.target() + " failed " + call.describe() + " (" + code + ")";
    String serverText = silent ? composed : description;
    switch (code) {
      case INVALID_ARGUMENT:
        return call.operation().equals("step")
            ? new InvalidActionException(serverText, cause)
            : new InvalidArgumentException(serverText, cause);
      case NOT_FOUND:
        return call.operation().equals("make")
            ? new UnknownEnvironmentException(serverText, cause)
            : new InstanceNotFoundException(serverText, cause);
      case PERMISSION_DENIED:
        return new UnknownEnvironmentException(serverText, cause);
      case FAILED_PRECONDITION:
        // On make: the env needs a Python package the server lacks (the message names it and the extra).
        return call.operation().equals("make")
            ? new EnvServerException(serverText, cause)
            : new ResetNeededException(serverText, cause);
      case RESOURCE_EXHAUSTED:
        return new TooManyInstancesException(serverText, cause);
      case UNIMPLEMENTED:
        if (description != null && description.startsWith("Method not found")) {
          return new EnvServerException("env server at " + call.target() + " does not implement " + call.operation()
              + " of gymlink.v1 (" + description + ") — is it a gymlink-envserver of the same version?", cause);
        }
        return new UnsupportedSpaceException(serverText, cause);
      case UNAVAILABLE:
        Throwable transport = cause == null ? null : cause.getCause();
        return unavailable(call, transport == null || transport.getMessage() == null ? description
            : description + ": " + transport.getMessage(), cause);
      case DEADLINE_EXCEEDED:
        return deadlineExceeded(call, cause);
      case CANCELLED:
        return new EnvServerUnavailableException("call to env server at " + call.target() + " was cancelled during "
            + call.describe() + (silent ? "" : ": " + description), cause);
      case UNAUTHENTICATED:
        return new EnvServerException("env server at " + call.target() + " refused " + call.describe()
            + " (UNAUTHENTICATED): " + (silent ? "no valid bearer token" : description)
            + " — give the server's token with --token-file FILE or " + ClientSecurity.TOKEN_VARIABLE, cause);
      case INTERNAL:
        // The server's own INTERNAL errors name the environment and what it raised.
        return new EnvServerException(serverText, cause);
      default:
        return new EnvServerException(composed + (silent ? "" : ": " + description), cause);
    }
  }

  /** "cannot reach env server at host:port (UNAVAILABLE) — is it running?", plus what the call was doing. */
  static EnvServerUnavailableException unavailable(CallContext call, String detail, Throwable cause) {
    return new EnvServerUnavailableException("cannot reach env server at " + call.target()
        + " (UNAVAILABLE) — is it running? (" + call.describe()
        + (detail == null || detail.isBlank() ? "" : ": " + detail) + ")", cause);
  }

  /** The server did not answer within the call's deadline. */
  static EnvServerUnavailableException deadlineExceeded(CallContext call, Throwable cause) {
    return new EnvServerUnavailableException("env server at " + call.target() + " did not answer "
        + call.describe() + " within " + ClientConfig.describe(call.timeout())
        + " (DEADLINE_EXCEEDED); raise the deadline (ClientConfig) if the environment is slow", cause);
  }
}
