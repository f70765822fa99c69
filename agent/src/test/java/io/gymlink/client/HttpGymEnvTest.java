package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.InstanceNotFoundException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.env.ResetNeededException;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.TooManyInstancesException;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DictValue;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.DiscreteValue;
import io.gymlink.env.spaces.MultiBinarySpace;
import io.gymlink.env.spaces.MultiBinaryValue;
import io.gymlink.env.spaces.MultiDiscreteSpace;
import io.gymlink.env.spaces.MultiDiscreteValue;
import io.gymlink.env.spaces.TupleSpace;
import io.gymlink.env.spaces.TupleValue;
import io.gymlink.testing.PythonEnvServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link HttpGymEnv} against the real Python server's gym-http-api routes, next to gRPC on the same server. */
class HttpGymEnvTest {

  private static LocalEnvServer server;
  private static EnvFactory http;
  private static EnvFactory grpc;

  @BeforeAll
  static void start() {
    server = PythonEnvServer.startServer("--http-port", "0", "--max-instances", "6");
    http = EnvFactories.forServer(server.httpTarget(), ClientConfig.defaults());
    grpc = EnvFactories.forServer(server.target(), ClientConfig.defaults());
  }

  @AfterAll
  static void stop() {
    http.close();
    grpc.close();
    server.close();
  }

  @Test
  void forServer_httpAddress_givesHttpFactory() {
    assertInstanceOf(HttpEnvFactory.class, http);
    assertEquals(server.httpTarget(), http.target());
  }

  @Test
  void pendulum_sameTrajectoryOverHttpAndGrpc() {
    try (Env overHttp = http.make("Pendulum-v1"); Env overGrpc = grpc.make("Pendulum-v1")) {
      assertEquals(overGrpc.actionSpace(), overHttp.actionSpace());
      assertEquals(overGrpc.observationSpace(), overHttp.observationSpace());
      assertEquals(200, overHttp.spec().maxEpisodeSteps());
      assertEquals(overGrpc.reset(0).observation(), overHttp.reset(0).observation(), "seed 0 is a seed");
      for (int i = 0; i < 5; i++) {
        BoxValue action = BoxValue.of(0.5f - i * 0.25f);
        StepResult a = overHttp.step(action);
        StepResult b = overGrpc.step(action);
        assertEquals(b.observation(), a.observation());
        assertEquals(b.reward(), a.reward(), 1e-9);
      }
    }
  }

  @Test
  void dictObservation_everySpaceKind_andTruncationAtTheTimeLimit() {
    try (Env env = http.make("GymlinkTest/DictObs-v0")) {
      DictSpace space = assertInstanceOf(DictSpace.class, env.observationSpace());
      assertInstanceOf(DiscreteSpace.class, space.spaces().get("count"));
      assertInstanceOf(MultiBinarySpace.class, space.spaces().get("flags"));
      assertArrayEquals(new long[] {2, 3}, ((MultiDiscreteSpace) space.spaces().get("grid")).nvec());
      TupleSpace pair = assertInstanceOf(TupleSpace.class, space.spaces().get("pair"));
      assertInstanceOf(BoxSpace.class, pair.spaces().get(1));
      ResetResult reset = env.reset(7L, Map.of("level", 2));
      assertEquals(Map.of("level", 2L), reset.info().get("options"));
      assertEquals(7L, reset.info().get("seed"));
      DictValue observation = assertInstanceOf(DictValue.class, reset.observation());
      assertNull(space.check(observation));
      assertInstanceOf(MultiBinaryValue.class, observation.entries().get("flags"));
      assertInstanceOf(MultiDiscreteValue.class, observation.entries().get("grid"));
      StepResult last = null;
      for (int i = 0; i < 10; i++) {
        last = env.step(new DiscreteValue(1));
        assertNull(space.check(last.observation()));
      }
      assertTrue(last.truncated());
      assertFalse(last.terminated());
      assertEquals(List.of(0.0, 10.0, 20.0), last.info().get("array"));
    }
  }

  @Test
  void compositeAction_encodedThroughTheSchema_terminates() {
    try (Env env = http.make("GymlinkTest/CompositeAction-v0")) {
      env.reset(0);
      TupleValue action = new TupleValue(List.of(
          new MultiDiscreteValue(new long[] {1, 2}, new int[] {2}),
          new MultiBinaryValue(new byte[] {0, 1, 0, 1}, new int[] {4}),
          new DictValue(Map.of("x", BoxValue.of(0.25f, -0.5f)))));
      StepResult first = env.step(action);
      assertEquals(BoxValue.of(3f, 2f, -0.25f), first.observation());
      StepResult last = first;
      for (int i = 0; i < 4; i++) {
        last = env.step(action);
      }
      assertTrue(last.terminated());
      assertFalse(last.truncated());
    }
  }

  @Test
  void step_wrongActionShape_throwsInvalidActionBeforeSending() {
    try (Env env = http.make("Pendulum-v1")) {
      env.reset(0);
      InvalidActionException e = assertThrows(InvalidActionException.class, () -> env.step(BoxValue.of(0, 0, 0)));
      assertEquals("action for 'Pendulum-v1' has shape [3], expected [1]", e.getMessage());
    }
  }

  @Test
  void step_actionTheClientCannotCheck_serverAnswersInvalidAction() {
    try (HttpGymEnv env = (HttpGymEnv) http.make("Pendulum-v1")) {
      env.reset(0);
      InvalidActionException e = assertThrows(InvalidActionException.class,
          () -> env.post("step/", Map.of("action", List.of(0.1, 0.2))));
      assertEquals("action for 'Pendulum-v1' has shape [2], expected [1]", e.getMessage());
    }
  }

  @Test
  void make_unknownEnvId_throwsUnknownEnvironmentWithDidYouMean() {
    UnknownEnvironmentException e = assertThrows(UnknownEnvironmentException.class, () -> http.make("Pendulm-v1"));
    // With MuJoCo installed, InvertedPendulum ids follow as further suggestions.
    assertTrue(e.getMessage().startsWith("environment 'Pendulm-v1' is not registered; did you mean 'Pendulum-v1'"),
        e.getMessage());
  }

  @Test
  void make_badKwargs_throwsInvalidArgument() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> http.make("Pendulum-v1", Map.of("no_such_kwarg", 1), null));
    assertTrue(e.getMessage().contains("no_such_kwarg"), e.getMessage());
  }

  @Test
  void make_kwargsNotJsonLike_throwsInvalidArgumentBeforeSending() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
        () -> http.make("Pendulum-v1", Map.of("g", new Object()), null));
    assertTrue(e.getMessage().startsWith("kwargs for 'Pendulum-v1' are not JSON-like values"), e.getMessage());
  }

  @Test
  void step_beforeReset_throwsResetNeeded() {
    try (Env env = http.make("Pendulum-v1")) {
      ResetNeededException e = assertThrows(ResetNeededException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().contains("of 'Pendulum-v1' needs reset"), e.getMessage());
    }
  }

  @Test
  void step_instanceClosedOnTheServer_throwsInstanceNotFound() {
    try (HttpGymEnv env = (HttpGymEnv) http.make("Pendulum-v1")) {
      env.reset(0);
      env.post("close/", null);
      InstanceNotFoundException e = assertThrows(InstanceNotFoundException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().startsWith("Instance_id " + env.instanceId() + " unknown: "), e.getMessage());
    }
  }

  @Test
  void step_environmentCrashes_throwsEnvServerException_andServerKeepsServing() {
    try (Env env = http.make("GymlinkTest/Crash-v0")) {
      env.reset(0);
      env.step(BoxValue.of(0f));
      env.step(BoxValue.of(0f));
      EnvServerException e = assertThrows(EnvServerException.class, () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().contains("RuntimeError: simulated crash"), e.getMessage());
      env.reset(1);
    }
  }

  @Test
  void step_slowerThanTheDeadline_throwsEnvServerUnavailable() {
    ClientConfig shortCalls = ClientConfig.defaults().withCallTimeout(Duration.ofMillis(300));
    try (EnvFactory impatient = EnvFactories.forServer(server.httpTarget(), shortCalls);
        Env env = impatient.make("GymlinkTest/Slow-v0", Map.of("step_seconds", 1.0), null)) {
      env.reset(0);
      EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
          () -> env.step(BoxValue.of(0f)));
      assertTrue(e.getMessage().matches("env server at http://127\\.0\\.0\\.1:\\d+ did not answer POST "
          + "/v1/envs/\\w+/step/ within 0\\.3 s"), e.getMessage());
    }
  }

  @Test
  void make_nothingListening_throwsEnvServerUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (EnvFactory nowhere = EnvFactories.forServer("http://127.0.0.1:" + port, ClientConfig.defaults())) {
      EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
          () -> nowhere.make("Pendulum-v1"));
      assertEquals("cannot reach env server at http://127.0.0.1:" + port + " — is it running?", e.getMessage());
    }
  }

  @Test
  void make_beyondTheInstanceLimit_throwsTooManyInstances() {
    try (LocalEnvServer small = PythonEnvServer.startServer("--http-port", "0", "--max-instances", "1");
        EnvFactory factory = EnvFactories.forServer(small.httpTarget(), ClientConfig.defaults());
        Env first = factory.make("CartPole-v1")) {
      TooManyInstancesException e = assertThrows(TooManyInstancesException.class,
          () -> factory.make("CartPole-v1"));
      assertTrue(e.getMessage().contains("limit (--max-instances) is 1"), e.getMessage());
      first.reset(0);
    }
  }

  @Test
  void close_isIdempotent_andUseAfterCloseNamesTheEnv() {
    Env env = http.make("CartPole-v1");
    env.close();
    env.close();
    InstanceNotFoundException e = assertThrows(InstanceNotFoundException.class, env::reset);
    assertTrue(e.getMessage().startsWith("environment 'CartPole-v1' (instance "), e.getMessage());
  }
}
