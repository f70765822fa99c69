package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.spaces.BoxValue;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** An env-server container that goes away mid-episode: the client says so clearly and nothing hangs. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ContainerStopIT {

  /** Per test (not static): each test ends its own server. */
  @Container
  final EnvServerContainer server = EnvServerContainer.withTestEnvs("--grace", "1");

  /** Deadlines well below the bound below, so a hang would show as a failed assertion, not a stuck build. */
  private static final ClientConfig CONFIG =
      ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(10)).withMakeTimeout(Duration.ofSeconds(30));

  private static final Duration NO_HANG = Duration.ofSeconds(60);

  @Test
  void dockerStop_midEpisode_nextStepReportsUnreachableServer_andServerExitsCleanlyOnSigterm() {
    try (GrpcEnvFactory factory = server.factory(CONFIG); Env env = factory.make("Pendulum-v1")) {
      env.reset(0L);
      env.step(BoxValue.of(0.1f));
      String containerId = server.getContainerId();
      // docker stop: SIGTERM, then SIGKILL after the timeout. The server must stop on the SIGTERM.
      server.getDockerClient().stopContainerCmd(containerId).withTimeout(30).exec();
      Long exitCode = server.getDockerClient().inspectContainerCmd(containerId).exec().getState().getExitCodeLong();
      assertEquals(0L, exitCode, "exit code after docker stop (137 would mean SIGTERM was ignored and it was killed)");

      EnvServerUnavailableException error = assertTimeoutPreemptively(NO_HANG,
          () -> assertThrows(EnvServerUnavailableException.class, () -> env.step(BoxValue.of(0.1f))));
      assertTrue(error.getMessage().contains(server.target()), "names the server: " + error.getMessage());
    }
  }

  @Test
  void dockerKill_midEpisode_nextStepReportsUnreachableServer() {
    try (GrpcEnvFactory factory = server.factory(CONFIG); Env env = factory.make("Pendulum-v1")) {
      env.reset(0L);
      env.step(BoxValue.of(0.1f));
      server.getDockerClient().killContainerCmd(server.getContainerId()).exec();

      EnvServerUnavailableException error = assertTimeoutPreemptively(NO_HANG,
          () -> assertThrows(EnvServerUnavailableException.class, () -> env.step(BoxValue.of(0.1f))));
      assertTrue(error.getMessage().contains(server.target()), "names the server: " + error.getMessage());
      // A fresh make fails fast as well, rather than waiting for a server that is gone.
      EnvServerUnavailableException makeError = assertTimeoutPreemptively(NO_HANG,
          () -> assertThrows(EnvServerUnavailableException.class, () -> factory.make("Pendulum-v1")));
      assertTrue(makeError.getMessage().contains("is it running?"), makeError.getMessage());
    }
  }
}
