package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.PythonEnvServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server that dies mid-episode gives a clear error at once, never a hang. */
class GrpcEnvServerKilledTest {

  @Test
  void step_serverKilledMidEpisode_throwsUnavailableQuickly() {
    try (LocalEnvServer server = PythonEnvServer.startServer();
        GrpcEnvFactory factory = GrpcEnvFactory.forTarget(server.target(), ClientConfig.defaults())) {
      Env env = factory.make("Pendulum-v1");
      env.reset(0);
      env.step(BoxValue.of(1f));
      server.kill();

      EnvServerUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> assertThrows(EnvServerUnavailableException.class, () -> env.step(BoxValue.of(1f))));
      assertTrue(e.getMessage().startsWith("cannot reach env server at " + server.target()
          + " (UNAVAILABLE) — is it running? (step on 'Pendulum-v1' (instance "), e.getMessage());
      assertTimeoutPreemptively(Duration.ofSeconds(5), env::close);

      EnvServerUnavailableException makeAgain = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> assertThrows(EnvServerUnavailableException.class, () -> factory.make("Pendulum-v1")));
      assertTrue(makeAgain.getMessage().startsWith("cannot reach env server at " + server.target()),
          makeAgain.getMessage());
    }
  }

  @Test
  void make_noServerListening_throwsUnavailableQuickly() {
    int port;
    try (LocalEnvServer server = PythonEnvServer.startServer()) {
      port = server.port();
    }
    try (GrpcEnvFactory factory = GrpcEnvFactory.forTarget("127.0.0.1:" + port, ClientConfig.defaults())) {
      EnvServerUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> assertThrows(EnvServerUnavailableException.class, () -> factory.make("Pendulum-v1")));
      assertTrue(e.getMessage().startsWith("cannot reach env server at 127.0.0.1:" + port
          + " (UNAVAILABLE) — is it running? (make on 'Pendulum-v1'"), e.getMessage());
    }
  }
}
