package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.UnknownEnvironmentException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.DictSpace;
import io.gymlink.env.spaces.DiscreteSpace;
import io.gymlink.env.spaces.DiscreteValue;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.TupleSpace;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The Java {@link Env} client against the env-server image: every space type, the image's extras, its errors. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class EnvServerContainerIT {

  @Container
  static final EnvServerContainer SERVER = EnvServerContainer.withTestEnvs();

  private static GrpcEnvFactory factory;

  @BeforeAll
  static void connect() {
    factory = SERVER.factory(ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(20)));
  }

  @AfterAll
  static void disconnect() {
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void image_healthCheckReportsHealthy_andServerRunsUnprivileged() throws Exception {
    assertEquals("healthy", SERVER.getCurrentContainerInfo().getState().getHealth().getStatus());
    ExecResult id = SERVER.execInContainer("id", "-u");
    assertEquals("10001", id.getStdout().trim(), "uid of the server process' user");
  }

  @Test
  void pendulum_boxObservationAndAction_seededResetIsReproducible() {
    try (Env env = factory.make("Pendulum-v1")) {
      assertArrayEquals(new int[] {3}, ((BoxSpace) env.observationSpace()).shape());
      assertArrayEquals(new int[] {1}, ((BoxSpace) env.actionSpace()).shape());
      ResetResult first = env.reset(42L);
      ResetResult again = env.reset(42L);
      assertEquals(first.observation(), again.observation(), "same seed, same first observation");
      StepResult step = env.step(BoxValue.of(0.5f));
      assertTrue(Double.isFinite(step.reward()) && step.reward() <= 0, "Pendulum rewards are <= 0: " + step.reward());
      assertFalse(step.terminated());
    }
  }

  @Test
  void cartPole_discreteAction_runsAnEpisodeToItsEnd() {
    try (Env env = factory.make("CartPole-v1")) {
      assertInstanceOf(DiscreteSpace.class, env.actionSpace());
      env.reset(0L);
      StepResult step;
      int steps = 0;
      do {
        step = env.step(new DiscreteValue(0)); // always pushing left topples the pole within a few dozen steps
        steps++;
      } while (!step.episodeOver() && steps < 600);
      assertTrue(step.terminated(), "the pole falls when always pushed left; steps=" + steps);
    }
  }

  @Test
  void frozenLake_discreteObservation() {
    try (Env env = factory.make("FrozenLake-v1")) {
      assertInstanceOf(DiscreteSpace.class, env.observationSpace());
      assertEquals(new DiscreteValue(0), env.reset(1L).observation(), "start state");
      assertInstanceOf(DiscreteValue.class, env.step(new DiscreteValue(1)).observation());
    }
  }

  @Test
  void blackjack_tupleObservation() {
    try (Env env = factory.make("Blackjack-v1")) {
      TupleSpace observationSpace = assertInstanceOf(TupleSpace.class, env.observationSpace());
      assertEquals(3, observationSpace.spaces().size());
      assertTrue(observationSpace.contains(env.reset(7L).observation()));
    }
  }

  @Test
  void dictObservationTestEnv_everySubspaceDecodes_andTimeLimitTruncates() {
    Random random = new Random(3);
    try (Env env = factory.make("GymlinkTest/DictObs-v0")) {
      DictSpace observationSpace = assertInstanceOf(DictSpace.class, env.observationSpace());
      assertTrue(observationSpace.contains(env.reset(0L).observation()));
      StepResult step = null;
      for (int i = 0; i < 10; i++) {
        step = env.step(env.actionSpace().sample(random));
        assertTrue(observationSpace.contains(step.observation()), "step " + i + ": " + step.observation());
      }
      assertTrue(step.truncated() && !step.terminated(), "max_episode_steps=10 truncates");
    }
  }

  @Test
  void compositeActionTestEnv_tupleOfMultiDiscreteMultiBinaryDict_terminatesAfterFiveSteps() {
    Random random = new Random(5);
    try (Env env = factory.make("GymlinkTest/CompositeAction-v0")) {
      Space actionSpace = env.actionSpace();
      assertInstanceOf(TupleSpace.class, actionSpace);
      env.reset(0L);
      StepResult step = null;
      for (int i = 0; i < 5; i++) {
        step = env.step(actionSpace.sample(random));
      }
      assertTrue(step.terminated() && !step.truncated());
    }
  }

  /** The image's extras: a Box2D and a MuJoCo environment make, reset and step inside the container. */
  @ParameterizedTest
  @ValueSource(strings = {"LunarLanderContinuous-v3", "BipedalWalker-v3", "Hopper-v5", "HalfCheetah-v5"})
  void box2dAndMujocoEnvs_runInTheImage(String envId) {
    Random random = new Random(11);
    try (Env env = factory.make(envId)) {
      BoxSpace observationSpace = assertInstanceOf(BoxSpace.class, env.observationSpace());
      assertTrue(observationSpace.contains(env.reset(0L).observation()));
      for (int i = 0; i < 5; i++) {
        assertTrue(Double.isFinite(env.step(env.actionSpace().sample(random)).reward()));
      }
    }
  }

  @Test
  void make_misspelledId_failsWithGymnasiumsSuggestion() {
    UnknownEnvironmentException error =
        assertThrows(UnknownEnvironmentException.class, () -> factory.make("Pendulum-v9"));
    assertTrue(error.getMessage().contains("Pendulum-v1"), error.getMessage());
  }
}
