package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.testing.PythonEnvServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default: the real Python server as a child process. */
class LocalEnvServerTest {

  @Test
  void start_realServer_servesUntilClosedThenIsGone() {
    LocalEnvServer server = LocalEnvServer.start(PythonEnvServer.command(), List.of("--log-level", "warning"),
        LocalEnvServer.DEFAULT_START_TIMEOUT, null);
    long pid = server.pid();
    try (GrpcEnvFactory factory = GrpcEnvFactory.forTarget(server.target(), ClientConfig.defaults())) {
      assertTrue(server.target().startsWith("127.0.0.1:"), server.target());
      assertTrue(factory.listEnvironments().contains("Pendulum-v1"));
    } finally {
      server.close();
    }
    assertFalse(server.isAlive());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs");
    server.close();
  }

  @Test
  void start_missingCommand_throwsNamingItAndTheFixes() {
    EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
        () -> LocalEnvServer.start(List.of("/no/such/gymlink-envserver"), List.of(), Duration.ofSeconds(5), null));
    assertTrue(e.getMessage().startsWith("cannot start the local env server '/no/such/gymlink-envserver'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("bin/bootstrap") && e.getMessage().contains("GYMLINK_ENVSERVER"));
  }

  @Test
  void start_commandExitsEarly_throwsWithExitCodeAndOutput() {
    List<String> failing = List.of("sh", "-c", "echo 'no gymnasium here' >&2; exit 3", "sh");
    EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
        () -> LocalEnvServer.start(failing, List.of(), Duration.ofSeconds(10), null));
    assertTrue(e.getMessage().contains("exited with code 3 before listening"), e.getMessage());
    assertTrue(e.getMessage().contains("no gymnasium here"), e.getMessage());
  }

  @Test
  void start_commandNeverListens_timesOutAndStopsIt() {
    List<String> silent = List.of("sh", "-c", "echo $$; exec sleep 30", "sh");
    EnvServerUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(EnvServerUnavailableException.class,
            () -> LocalEnvServer.start(silent, List.of(), Duration.ofMillis(500), null)));
    assertTrue(e.getMessage().contains("did not print 'gymlink-envserver listening on HOST:PORT' within"),
        e.getMessage());
    String pid = e.getMessage().replaceAll("(?s).*Its last output:\\s+(\\d+).*", "$1");
    assertFalse(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void resolveCommand_optionThenEnvironmentThenPath() {
    assertEquals(List.of("/opt/server", "--x"),
        LocalEnvServer.resolveCommand("/opt/server --x", Map.of("GYMLINK_ENVSERVER", "/env/server")));
    assertEquals(List.of("/env/server"), LocalEnvServer.resolveCommand(null, Map.of("GYMLINK_ENVSERVER",
        "/env/server")));
    assertEquals(List.of("gymlink-envserver"), LocalEnvServer.resolveCommand(" ", Map.of()));
  }
}
