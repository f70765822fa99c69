package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.ResetNeededException;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DiscreteValue;
import io.gymlink.env.spaces.TupleValue;
import io.gymlink.proto.v1.DType;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.StepRequest;
import io.gymlink.proto.v1.Tensor;
import io.gymlink.proto.v1.Value;
import io.gymlink.testing.PythonEnvServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input, checked by the client or by the real Python server, ends in the right exception and message. */
class GrpcEnvErrorsTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  private static GrpcEnvFactory factory;

  @BeforeAll
  static void connect() {
    factory = SERVER.sharedFactory();
  }

  @Test
  void step_wrongActionShape_throwsInvalidAction() {
    try (Env env = resetPendulum()) {
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(BoxValue.of(0, 0, 0)));
      assertEquals("action for 'Pendulum-v1' has shape [3], expected [1]", e.getMessage());
    }
  }

  @Test
  void step_nanAction_throwsInvalidAction() {
    try (Env env = resetPendulum()) {
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(BoxValue.of(Float.NaN)));
      assertEquals("action for 'Pendulum-v1' is NaN at index 0", e.getMessage());
    }
  }

  @Test
  void step_actionOutOfBounds_throwsInvalidAction() {
    try (Env env = resetPendulum()) {
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(BoxValue.of(2.5f)));
      assertEquals("action for 'Pendulum-v1' has 2.5 at index 0, above the upper bound 2.0", e.getMessage());
    }
  }

  @Test
  void step_wrongValueKind_throwsInvalidAction() {
    try (Env env = resetPendulum()) {
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(new DiscreteValue(1)));
      assertEquals("action for 'Pendulum-v1' is a Discrete value, expected a Box value of shape [1]",
          e.getMessage());
    }
  }

  @Test
  void step_discreteOutOfRange_throwsInvalidAction() {
    try (Env env = factory.make("CartPole-v1")) {
      env.reset(0);
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(new DiscreteValue(2)));
      assertEquals("action for 'CartPole-v1' is 2, expected an integer in [0, 1]", e.getMessage());
    }
  }

  @Test
  void step_compositeActionWithBadItem_namesThePath() {
    try (Env env = factory.make("GymlinkTest/CompositeAction-v0")) {
      env.reset(0);
      TupleValue action = (TupleValue) env.actionSpace().sample(new java.util.Random(0));
      TupleValue bad = new TupleValue(List.of(action.items().get(0), action.items().get(1),
          new io.gymlink.env.spaces.DictValue(Map.of("x", BoxValue.of(0f, 3f)))));
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(bad));
      assertEquals("action for 'GymlinkTest/CompositeAction-v0' item 2 entry 'x' has 3.0 at index 1, above the"
          + " upper bound 1.0", e.getMessage());
    }
  }

  static List<BoxValue> badPendulumActions() {
    return List.of(BoxValue.of(0.1f, 0.2f, 0.3f), new BoxValue(new float[] {0.5f}, new int[] {1, 1}),
        BoxValue.of(2.5f), BoxValue.of(-3f), BoxValue.of(Float.NaN));
  }

  @ParameterizedTest
  @MethodSource("badPendulumActions")
  void step_badAction_clientAndServerGiveTheSameMessage(BoxValue action) {
    String clientMessage;
    try (Env env = resetPendulum()) {
      clientMessage = assertThrows(InvalidActionException.class, () -> env.step(action)).getMessage();
    }
    // The same action sent past the client's check: the server's own words.
    LockstepSession session = new LockstepSession(factory.channel());
    try {
      var made = session.call(SessionRequest.newBuilder()
          .setMake(RemoteInstance.makeRequest("Pendulum-v1", Map.of(), null)), context("make", null));
      String instance = made.getMake().getInstanceId();
      session.call(SessionRequest.newBuilder().setReset(io.gymlink.proto.v1.ResetRequest.newBuilder()
          .setInstanceId(instance)), context("reset", instance));
      Value raw = ProtoCodec.encodeValue(ProtoCodec.decodeSpace(made.getMake().getActionSpace()), action);
      InvalidActionException server = assertThrows(InvalidActionException.class, () -> session.call(
          SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setInstanceId(instance).setAction(raw)),
          context("step", instance)));
      assertEquals(clientMessage, server.getMessage());
    } finally {
      session.close();
    }
  }

  @Test
  void step_actionTheClientCannotCheck_serverRejectsWithInvalidAction() {
    // A float tensor for a Discrete space can only be sent by bypassing GrpcEnv's own check: the server's answer.
    LockstepSession session = new LockstepSession(factory.channel());
    try {
      var made = session.call(SessionRequest.newBuilder()
          .setMake(RemoteInstance.makeRequest("CartPole-v1", Map.of(), null)), context("make", null));
      String instance = made.getMake().getInstanceId();
      session.call(SessionRequest.newBuilder().setReset(io.gymlink.proto.v1.ResetRequest.newBuilder()
          .setInstanceId(instance)), context("reset", instance));
      Value floatAction = Value.newBuilder().setTensor(Tensor.newBuilder().setDtype(DType.FLOAT32)
          .setData(ByteString.copyFrom(new byte[4]))).build();
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> session.call(
          SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setInstanceId(instance)
              .setAction(floatAction)), context("step", instance)));
      assertTrue(e.getMessage().startsWith("action for 'CartPole-v1' "), e.getMessage());
      assertTrue(e.getMessage().contains("expected an integer dtype"), e.getMessage());
    } finally {
      session.close();
    }
  }

  @Test
  void make_unknownEnvId_throwsUnknownEnvironmentWithDidYouMean() {
    UnknownEnvironmentException e = assertThrows(UnknownEnvironmentException.class,
        () -> factory.make("Pendulm-v1"));
    // With MuJoCo installed, InvertedPendulum ids follow as further suggestions.
    assertTrue(e.getMessage().startsWith("environment 'Pendulm-v1' is not registered; did you mean 'Pendulum-v1'"),
        e.getMessage());
  }

  @Test
  void make_disallowedEntryPoint_throwsUnknownEnvironment() {
    UnknownEnvironmentException e = assertThrows(UnknownEnvironmentException.class,
        () -> factory.make("os:system"));
    assertTrue(e.getMessage().startsWith("entry point 'os:system' is not allowed on this server"), e.getMessage());
  }

  @Test
  void make_badKwargs_throwsInvalidArgument() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> factory.make("Pendulum-v1", Map.of("no_such_kwarg", 1), null));
    assertTrue(e.getMessage().contains("'Pendulum-v1'") && e.getMessage().contains("no_such_kwarg"),
        e.getMessage());
  }

  @Test
  void make_kwargsNotJsonLike_throwsInvalidArgumentBeforeSending() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> factory.make("Pendulum-v1", Map.of("g", new Object()), null));
    assertTrue(e.getMessage().startsWith("kwargs for 'Pendulum-v1': 'g' is a java.lang.Object"), e.getMessage());
  }

  @Test
  void step_beforeReset_throwsResetNeeded() {
    try (Env env = factory.make("Pendulum-v1")) {
      ResetNeededException e = assertThrows(ResetNeededException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().contains("of 'Pendulum-v1' needs reset"), e.getMessage());
    }
  }

  @Test
  void step_afterEpisodeEnd_throwsResetNeeded() {
    try (Env env = factory.make("Pendulum-v1", Map.of(), 2)) {
      env.reset(0);
      env.step(BoxValue.of(0f));
      assertTrue(env.step(BoxValue.of(0f)).truncated());
      ResetNeededException e = assertThrows(ResetNeededException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().contains("the episode ended (truncated)"), e.getMessage());
      env.reset();
      env.step(BoxValue.of(0f));
    }
  }

  @Test
  void step_unknownInstance_throwsInstanceNotFound() {
    LockstepSession session = new LockstepSession(factory.channel());
    try {
      InstanceNotFoundException e = assertThrows(InstanceNotFoundException.class, () -> session.call(
          SessionRequest.newBuilder().setReset(io.gymlink.proto.v1.ResetRequest.newBuilder().setInstanceId("nope")),
          context("reset", "nope")));
      assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    } finally {
      session.close();
    }
  }

  @Test
  void step_afterClose_throwsNamingTheEnv() {
    Env env = resetPendulum();
    env.close();
    var e = assertThrows(io.gymlink.env.EnvException.class, () -> env.step(BoxValue.of(0f)));
    assertTrue(e.getMessage().contains("'Pendulum-v1'") && e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void step_envCrashes_throwsEnvServerExceptionAndServerKeepsServing() {
    try (Env env = factory.make("GymlinkTest/Crash-v0")) {
      env.reset(0);
      env.step(BoxValue.of(0f));
      env.step(BoxValue.of(0f));
      EnvServerException e = assertThrows(EnvServerException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().contains("GymlinkTest/Crash-v0") && e.getMessage().contains("simulated crash"),
          e.getMessage());
      // The session survives an environment error: a reset starts over.
      env.reset(0);
      env.step(BoxValue.of(0f));
    }
    try (GrpcEnvFactory other = SERVER.factory(); Env env = other.make("Pendulum-v1")) {
      env.reset(0);
      env.step(BoxValue.of(0f));
    }
  }

  @Test
  void step_slowerThanTheDeadline_throwsUnavailableWithoutHanging() {
    ClientConfig shortDeadline = ClientConfig.defaults().withCallTimeout(Duration.ofMillis(500));
    try (GrpcEnvFactory impatient = SERVER.factory(shortDeadline);
        Env env = impatient.make("GymlinkTest/Slow-v0", Map.of("step_seconds", 3.0), null)) {
      env.reset(0);
      EnvServerUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
          () -> assertThrows(EnvServerUnavailableException.class, () -> env.step(BoxValue.of(0f))));
      assertTrue(e.getMessage().startsWith("env server at " + SERVER.target()
          + " did not answer step on 'GymlinkTest/Slow-v0' (instance "), e.getMessage());
      assertTrue(e.getMessage().contains("within 0.5 s (DEADLINE_EXCEEDED)"), e.getMessage());
      // The session was cancelled: later calls fail at once, and close stays quiet.
      EnvServerUnavailableException again = assertTimeoutPreemptively(Duration.ofSeconds(1),
          () -> assertThrows(EnvServerUnavailableException.class, () -> env.reset(0)));
      assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
    }
  }

  @Test
  void reset_optionsNotJsonLike_throwsInvalidArgument() {
    try (Env env = factory.make("Pendulum-v1")) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> env.reset(0L, Map.of("level", new StringBuilder[0].getClass())));
      assertTrue(e.getMessage().startsWith("reset options for 'Pendulum-v1': 'level' is a java.lang.Class"),
          e.getMessage());
    }
  }

  @Test
  void unaryEnv_badInputs_throwTheSameExceptions() {
    assertThrows(UnknownEnvironmentException.class, () -> factory.makeUnary("Pendulm-v1", Map.of(), null));
    try (Env env = factory.makeUnary("Pendulum-v1", Map.of(), null)) {
      assertThrows(ResetNeededException.class, () -> env.step(BoxValue.of(0f)));
      env.reset(0);
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(BoxValue.of(0, 0)));
      assertEquals("action for 'Pendulum-v1' has shape [2], expected [1]", e.getMessage());
    }
  }

  private static Env resetPendulum() {
    Env env = factory.make("Pendulum-v1");
    env.reset(0);
    return env;
  }

  private static CallContext context(String operation, String instance) {
    return new CallContext(factory.target(), operation, "CartPole-v1", instance, Duration.ofSeconds(30));
  }
}
