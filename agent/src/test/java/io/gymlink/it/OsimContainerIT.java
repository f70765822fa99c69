package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The osim-rl variant of the env-server image: the NeurIPS 2019 challenge environment through the Java client. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class OsimContainerIT {

  @Container
  static final EnvServerContainer SERVER = EnvServerContainer.osim();

  /** OpenSim builds the musculoskeletal model at make and reset: seconds, not milliseconds. */
  private static final ClientConfig CONFIG =
      ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(60)).withMakeTimeout(Duration.ofSeconds(180));

  @Test
  void l2m2019_muscleActionsInUnitBox_stepsThroughTheContainer() {
    Random random = new Random(1);
    try (GrpcEnvFactory factory = SERVER.factory(CONFIG); Env env = factory.make("L2M2019Env")) {
      BoxSpace actions = (BoxSpace) env.actionSpace();
      assertArrayEquals(new int[] {22}, actions.shape(), "22 muscle excitations");
      assertEquals(0.0, actions.low()[0]);
      assertEquals(1.0, actions.high()[0]);
      BoxSpace observations = (BoxSpace) env.observationSpace();
      assertTrue(observations.contains(env.reset(0L).observation()));
      for (int i = 0; i < 5; i++) {
        StepResult step = env.step(actions.sample(random));
        assertTrue(observations.contains(step.observation()), "step " + i);
        assertTrue(Double.isFinite(step.reward()), "reward of step " + i + ": " + step.reward());
      }
    }
  }
}
