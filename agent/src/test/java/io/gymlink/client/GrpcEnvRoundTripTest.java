package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.Env;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DType;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DictValue;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.MultiBinarySpace;
import io.gymlink.env.spaces.MultiBinaryValue;
import io.gymlink.env.spaces.MultiDiscreteSpace;
import io.gymlink.env.spaces.MultiDiscreteValue;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.env.spaces.TupleSpace;
import io.gymlink.env.spaces.TupleValue;
import io.gymlink.testing.PythonEnvServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Make, reset and step round trips through the real Python env server, one environment per space kind. */
class GrpcEnvRoundTripTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  private static GrpcEnvFactory factory;

  @BeforeAll
  static void connect() {
    factory = SERVER.sharedFactory();
  }

  static Stream<Arguments> spaces() {
    Map<String, Space> dictObs = new LinkedHashMap<>();
    dictObs.put("position", box(DType.FLOAT32, new double[] {-1, -1}, new double[] {1, 1}));
    dictObs.put("count", new DiscreteSpace(5, 0));
    dictObs.put("flags", new MultiBinarySpace(new int[] {3}));
    dictObs.put("grid", new MultiDiscreteSpace(new long[] {2, 3}, new long[] {0, 0}, new int[] {2}, DType.INT64));
    dictObs.put("pair", new TupleSpace(List.of(new DiscreteSpace(2, 0),
        box(DType.FLOAT64, new double[] {0}, new double[] {1}))));
    return Stream.of(
        Arguments.of("Pendulum-v1",
            box(DType.FLOAT32, new double[] {-1, -1, -8}, new double[] {1, 1, 8}),
            box(DType.FLOAT32, new double[] {-2}, new double[] {2})),
        Arguments.of("CartPole-v1",
            box(DType.FLOAT32, new double[] {-4.8f, Double.NEGATIVE_INFINITY, -0.41887903f, Double.NEGATIVE_INFINITY},
                new double[] {4.8f, Double.POSITIVE_INFINITY, 0.41887903f, Double.POSITIVE_INFINITY}),
            new DiscreteSpace(2, 0)),
        Arguments.of("FrozenLake-v1", new DiscreteSpace(16, 0), new DiscreteSpace(4, 0)),
        Arguments.of("Blackjack-v1",
            new TupleSpace(List.of(new DiscreteSpace(32, 0), new DiscreteSpace(11, 0), new DiscreteSpace(2, 0))),
            new DiscreteSpace(2, 0)),
        Arguments.of("GymlinkTest/DictObs-v0", new DictSpace(dictObs), new DiscreteSpace(3, 0)),
        Arguments.of("GymlinkTest/CompositeAction-v0",
            box(DType.FLOAT32, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY}),
            new TupleSpace(List.of(
                new MultiDiscreteSpace(new long[] {2, 3}, new long[] {0, 0}, new int[] {2}, DType.INT64),
                new MultiBinarySpace(new int[] {4}),
                new DictSpace(Map.of("x", box(DType.FLOAT32, new double[] {-1, -1}, new double[] {1, 1})))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spaces")
  void make_knownEnv_spacesAreTheServersSpaces(String envId, Space observationSpace, Space actionSpace) {
    try (Env env = factory.make(envId)) {
      assertEquals(observationSpace, env.observationSpace());
      assertEquals(actionSpace, env.actionSpace());
      assertEquals(envId, env.spec().envId());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Pendulum-v1", "CartPole-v1", "FrozenLake-v1", "Blackjack-v1", "GymlinkTest/DictObs-v0",
      "GymlinkTest/CompositeAction-v0"})
  void resetAndStep_randomPolicy_observationsAreInTheObservationSpace(String envId) {
    try (Env env = factory.make(envId)) {
      Random random = new Random(0);
      for (int episode = 0; episode < 2; episode++) {
        ResetResult reset = env.reset(episode == 0 ? 0L : null, Map.of());
        assertNull(env.observationSpace().check(reset.observation()), envId + " reset observation");
        StepResult step;
        int steps = 0;
        do {
          step = env.step(env.actionSpace().sample(random));
          assertNull(env.observationSpace().check(step.observation()), envId + " step observation");
          assertTrue(Double.isFinite(step.reward()));
        } while (!step.episodeOver() && ++steps < 300);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Pendulum-v1", "CartPole-v1", "Blackjack-v1", "GymlinkTest/DictObs-v0"})
  void reset_sameSeedIncludingZero_sameTrajectory(String envId) {
    try (Env first = factory.make(envId); Env second = factory.make(envId)) {
      for (long seed : new long[] {0, 12345}) {
        assertEquals(trajectory(first, seed, 20), trajectory(second, seed, 20), envId + " seed " + seed);
      }
    }
  }

  @Test
  void reset_differentSeeds_differentObservations() {
    try (Env env = factory.make("Pendulum-v1")) {
      assertNotEquals(env.reset(0).observation(), env.reset(1).observation());
    }
  }

  @Test
  void reset_noSeed_continuesTheSeededRng() {
    try (Env first = factory.make("Pendulum-v1"); Env second = factory.make("Pendulum-v1")) {
      first.reset(7);
      second.reset(7);
      assertEquals(first.reset().observation(), second.reset().observation());
    }
  }

  @Test
  void step_pendulum_truncatesAtTheTimeLimit() {
    try (Env env = factory.make("Pendulum-v1", Map.of(), 5)) {
      assertEquals(5, env.spec().maxEpisodeSteps());
      env.reset(0);
      List<Boolean> truncated = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        StepResult step = env.step(BoxValue.of(0.5f));
        assertFalse(step.terminated());
        truncated.add(step.truncated());
      }
      assertEquals(List.of(false, false, false, false, true), truncated);
    }
  }

  @Test
  void make_pendulum_specHasRegisteredTimeLimit() {
    try (Env env = factory.make("Pendulum-v1")) {
      assertEquals(200, env.spec().maxEpisodeSteps());
    }
  }

  @Test
  void make_withKwargs_passesThemToGymnasium() {
    try (Env env = factory.make("Pendulum-v1", Map.of("g", 0.0), null)) {
      // Without gravity and without torque the angular velocity (observation[2]) does not change.
      float[] start = env.reset(0).observation().asBox().data();
      float[] after = env.step(BoxValue.of(0f)).observation().asBox().data();
      assertEquals(start[2], after[2], 1e-6);
    }
  }

  @Test
  void step_dictObs_decodesEveryKindAndNestedInfo() {
    try (Env env = factory.make("GymlinkTest/DictObs-v0")) {
      ResetResult reset = env.reset(3L, Map.of("level", "easy", "depth", 2));
      assertEquals(Map.of("level", "easy", "depth", 2L), reset.info().get("options"));
      assertEquals(3L, reset.info().get("seed"));
      StepResult step = env.step(new io.gymlink.env.spaces.DiscreteValue(2));
      assertEquals(2.0, step.reward());
      DictValue observation = (DictValue) step.observation();
      assertEquals(new io.gymlink.env.spaces.DiscreteValue(1), observation.entries().get("count"));
      assertEquals(new MultiDiscreteValue(new long[] {1, 1}, new int[] {2}), observation.entries().get("grid"));
      assertTrue(observation.entries().get("flags") instanceof MultiBinaryValue);
      assertEquals(1L, step.info().get("steps"));
      @SuppressWarnings("unchecked")
      Map<String, Object> nested = (Map<String, Object>) step.info().get("nested");
      assertEquals(java.util.Arrays.asList(1L, 2.5, "three", null, true), nested.get("list"));
      assertEquals(Map.of("a", 7L), nested.get("map"));
      assertEquals(BoxValue.of(0f, 1f, 2f), step.info().get("array"));
    }
  }

  @Test
  void step_dictObs_truncatedNotTerminatedAtItsTimeLimit() {
    try (Env env = factory.make("GymlinkTest/DictObs-v0")) {
      env.reset(0);
      StepResult step = null;
      for (int i = 0; i < 10; i++) {
        step = env.step(new io.gymlink.env.spaces.DiscreteValue(0));
      }
      assertTrue(step.truncated());
      assertFalse(step.terminated());
    }
  }

  @Test
  void step_compositeAction_arrivesIntactAndTerminatesAfterFive() {
    try (Env env = factory.make("GymlinkTest/CompositeAction-v0")) {
      env.reset(0);
      SpaceValue action = new TupleValue(List.of(
          new MultiDiscreteValue(new long[] {1, 2}, new int[] {2}),
          new MultiBinaryValue(new byte[] {1, 0, 1, 1}, new int[] {4}),
          new DictValue(Map.of("x", BoxValue.of(0.25f, -0.75f)))));
      List<Boolean> terminated = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        StepResult step = env.step(action);
        assertEquals(BoxValue.of(3f, 3f, -0.5f), step.observation());
        assertFalse(step.truncated());
        terminated.add(step.terminated());
      }
      assertEquals(List.of(false, false, false, false, true), terminated);
    }
  }

  @Test
  void unaryEnv_sameSeedAndActions_sameTrajectoryAsSession() {
    try (Env session = factory.make("Pendulum-v1"); Env unary = factory.makeUnary("Pendulum-v1", Map.of(), null)) {
      assertEquals(trajectory(session, 5, 30), trajectory(unary, 5, 30));
    }
  }

  @Test
  void close_twice_isQuiet() {
    Env env = factory.make("CartPole-v1");
    env.close();
    env.close();
  }

  /** Observations and rewards of {@code steps} seeded random steps (resetting when an episode ends). */
  private static List<Object> trajectory(Env env, long seed, int steps) {
    List<Object> out = new ArrayList<>();
    Random random = new Random(seed);
    out.add(env.reset(seed).observation());
    for (int i = 0; i < steps; i++) {
      StepResult step = env.step(env.actionSpace().sample(random));
      out.add(step.observation());
      out.add(step.reward());
      if (step.episodeOver()) {
        out.add(env.reset().observation());
      }
    }
    return out;
  }

  private static BoxSpace box(DType dtype, double[] low, double[] high) {
    return new BoxSpace(new int[] {low.length}, dtype, low, high);
  }
}
