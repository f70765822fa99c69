package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The error table of STYLE.md: status code and operation to exception, message kept or composed. */
class GrpcErrorsTest {

  private static CallContext call(String operation) {
    return new CallContext("127.0.0.1:50051", operation, "Pendulum-v1", "i-1", Duration.ofMillis(1500));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(Status.Code.INVALID_ARGUMENT, "step", InvalidActionException.class),
        Arguments.of(Status.Code.INVALID_ARGUMENT, "reset", InvalidArgumentException.class),
        Arguments.of(Status.Code.NOT_FOUND, "make", UnknownEnvironmentException.class),
        Arguments.of(Status.Code.NOT_FOUND, "step", InstanceNotFoundException.class),
        Arguments.of(Status.Code.PERMISSION_DENIED, "make", UnknownEnvironmentException.class),
        Arguments.of(Status.Code.FAILED_PRECONDITION, "step", ResetNeededException.class),
        Arguments.of(Status.Code.FAILED_PRECONDITION, "make", EnvServerException.class),
        Arguments.of(Status.Code.RESOURCE_EXHAUSTED, "make", TooManyInstancesException.class),
        Arguments.of(Status.Code.UNIMPLEMENTED, "make", UnsupportedSpaceException.class),
        Arguments.of(Status.Code.INTERNAL, "step", EnvServerException.class),
        Arguments.of(Status.Code.UNKNOWN, "step", EnvServerException.class));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("table")
  void fromSessionError_serverErrors_keepTheServersMessage(Status.Code code, String operation,
      Class<? extends EnvException> expected) {
    SessionError error = SessionError.newBuilder().setCode(code.value()).setMessage("the server's text").build();
    EnvException e = GrpcErrors.fromSessionError(error, call(operation));
    assertInstanceOf(expected, e);
    assertTrue(e.getMessage().contains("the server's text"), e.getMessage());
  }

  @Test
  void fromStatus_unavailable_saysCannotReachAndWhatItWasDoing() {
    EnvException e = GrpcErrors.fromStatus(Status.UNAVAILABLE.withDescription("io exception"), call("step"));
    assertInstanceOf(EnvServerUnavailableException.class, e);
    assertEquals("cannot reach env server at 127.0.0.1:50051 (UNAVAILABLE) — is it running? (step on 'Pendulum-v1'"
        + " (instance i-1): io exception)", e.getMessage());
  }

  @Test
  void fromStatus_deadlineExceeded_namesOperationAndDeadline() {
    EnvException e = GrpcErrors.fromStatus(Status.DEADLINE_EXCEEDED, call("reset"));
    assertInstanceOf(EnvServerUnavailableException.class, e);
    assertEquals("env server at 127.0.0.1:50051 did not answer reset on 'Pendulum-v1' (instance i-1) within 1.5 s"
        + " (DEADLINE_EXCEEDED); raise the deadline (ClientConfig) if the environment is slow", e.getMessage());
  }

  @Test
  void fromStatus_methodNotFound_saysWrongServer() {
    EnvException e = GrpcErrors.fromStatus(
        Status.UNIMPLEMENTED.withDescription("Method not found: gymlink.v1.EnvService/Session"), call("make"));
    assertInstanceOf(EnvServerException.class, e);
    assertTrue(e.getMessage().contains("is it a gymlink-envserver"), e.getMessage());
  }

  @Test
  void fromSessionError_emptyMessage_composesOneNamingEverything() {
    EnvException e = GrpcErrors.fromSessionError(SessionError.newBuilder().setCode(13).build(), call("step"));
    assertEquals("env server at 127.0.0.1:50051 failed step on 'Pendulum-v1' (instance i-1) (INTERNAL)",
        e.getMessage());
  }

  @Test
  void fromStatus_keepsTheCause() {
    EnvException e = GrpcErrors.fromStatus(Status.INTERNAL.withDescription("boom"), call("step"));
    assertInstanceOf(io.grpc.StatusRuntimeException.class, e.getCause());
  }
}
