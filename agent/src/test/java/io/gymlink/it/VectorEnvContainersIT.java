package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gymlink.client.ClientConfig;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.vector.RemoteVectorConfig;
import io.gymlink.vector.RemoteVectorEnv;
import io.gymlink.vector.ServerTargets;
import io.gymlink.vector.VectorStepResult;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** A vector env over three env-server containers (host network, three ports): spread, a killed container, goes on. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class VectorEnvContainersIT {

  @Container
  final EnvServerContainer first = EnvServerContainer.withTestEnvs();

  @Container
  final EnvServerContainer second = EnvServerContainer.withTestEnvs();

  @Container
  final EnvServerContainer third = EnvServerContainer.withTestEnvs();

  @Test
  void sixEnvsOverThreeContainers_oneKilled_itsEnvsMovedAndTheRunGoesOn() {
    String targets = String.join(",", first.target(), second.target(), third.target());
    RemoteVectorConfig config = RemoteVectorConfig.of("Pendulum-v1", 6).withMake(Map.of(), 50)
        .withClient(ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(10)));
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(targets), config)) {
        env.reset(0L);
        BoxValue actions = new BoxValue(new float[] {0.5f, -0.5f, 1f, -1f, 0f, 0.25f}, new int[] {6, 1});
        for (int t = 0; t < 20; t++) {
          assertArrayEquals(new boolean[6], env.step(actions).interrupted());
        }
        second.getDockerClient().killContainerCmd(second.getContainerId()).exec();
        int[] interrupted = new int[6];
        for (int t = 0; t < 80; t++) {
          VectorStepResult r = env.step(actions);
          for (int k = 0; k < 6; k++) {
            interrupted[k] += r.interrupted()[k] ? 1 : 0;
          }
        }
        // Envs 1 and 4 were on the second container; their episodes ended once, interrupted.
        assertArrayEquals(new int[] {0, 1, 0, 0, 1, 0}, interrupted);
        assertEquals(6, env.numEnvs());
      }
    });
  }
}
