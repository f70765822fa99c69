package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.testing.PythonEnvServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code gymlink rollout} end to end, against the real server and with the embedded default. */
class RolloutCommandTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  @Test
  void rollout_pendulum_printsEveryEpisodeAndSummary() {
    CliRun run = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--episodes", "2", "--server", SERVER.target());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("episode 1: return -"), run.out());
    assertTrue(run.out().contains(", length 200 (truncated)"), run.out());
    assertTrue(run.out().contains("episode 2: return"), run.out());
    assertTrue(run.out().contains("2 episodes: mean return"), run.out());
    assertTrue(run.out().contains("mean length 200.0"), run.out());
  }

  @Test
  void rollout_sameSeed_sameOutput() {
    String[] args = {"rollout", "--env", "CartPole-v1", "--episodes", "3", "--seed", "4", "--server",
        SERVER.target()};
    CliRun first = CliRun.gymlink(args);
    CliRun second = CliRun.gymlink(args);
    assertEquals(0, first.exitCode(), first.err());
    assertEquals(episodeLines(first.out()), episodeLines(second.out()));
  }

  @Test
  void rollout_unknownEnv_exitsOneWithOneLineAndNoStackTrace() {
    CliRun run = CliRun.gymlink("rollout", "--env", "Pendulm-v1", "--server", SERVER.target());
    assertEquals(1, run.exitCode());
    // One line; with MuJoCo installed, InvertedPendulum ids follow as further suggestions.
    assertTrue(run.err().strip().matches("gymlink rollout: error: environment 'Pendulm-v1' is not registered; "
        + "did you mean 'Pendulum-v1'( or '[^']+')*\\?"), run.err());
  }

  @Test
  void rollout_noServerThere_exitsOneNamingTheAddress() {
    CliRun run = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--server", "127.0.0.1:1");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().startsWith("gymlink rollout: error: cannot reach env server at 127.0.0.1:1 (UNAVAILABLE)"),
        run.err());
    assertFalse(run.err().contains("\tat "), run.err());
  }

  @Test
  void rollout_badUsage_exitsTwo() {
    assertEquals(2, CliRun.gymlink("rollout", "--episodes", "1").exitCode());
    assertEquals(2, CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--episodes", "0").exitCode());
    CliRun garbage = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--server", "not an address");
    assertEquals(2, garbage.exitCode());
    assertTrue(garbage.err().contains("'not an address' is not host:port"), garbage.err());
    assertEquals(2, CliRun.gymlink("no-such-command").exitCode());
  }

  @Test
  void rollout_serverListOrDnsName_singleEnvUsesTheFirstEntry() {
    String port = SERVER.target().substring(SERVER.target().lastIndexOf(':') + 1);
    for (String servers : List.of(SERVER.target() + ",127.0.0.1:1", "dns:///localhost:" + port)) {
      CliRun run = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--episodes", "1", "--server", servers);
      assertEquals(0, run.exitCode(), servers + ": " + run.err());
      assertTrue(run.out().contains("episode 1: return"), run.out());
    }
  }

  @Test
  void rollout_badServerListOrLostTimeout_exitsTwoNamingIt() {
    CliRun empty = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--server", SERVER.target() + ",,127.0.0.1:2");
    assertEquals(2, empty.exitCode());
    assertTrue(empty.err().contains("--server: env server list '" + SERVER.target() + ",,127.0.0.1:2' has an empty"
        + " entry"), empty.err());
    CliRun httpList = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--server", "http://a:1,http://b:2");
    assertEquals(2, httpList.exitCode());
    assertTrue(httpList.err().contains("a list of servers needs gRPC servers"), httpList.err());
    CliRun timeout = CliRun.gymlink("rollout", "--env", "Pendulum-v1", "--server", SERVER.target(), "--server-lost-timeout", "0");
    assertEquals(2, timeout.exitCode());
    assertTrue(timeout.err().contains("--server-lost-timeout must be positive, got 0.0"), timeout.err());
  }

  @Test
  void help_explainsEveryFlag() {
    CliRun run = CliRun.gymlink("rollout", "--help");
    assertEquals(0, run.exitCode());
    for (String flag : List.of("--env", "--episodes", "--seed", "--max-episode-steps", "--server",
        "--envserver-command", "--envserver-args", "--call-timeout", "--make-timeout", "--server-lost-timeout",
        "--verbose")) {
      assertTrue(run.out().contains(flag), flag + " missing from:\n" + run.out());
    }
  }

  @Test
  void rollout_withoutServer_startsAndStopsALocalOne() {
    CliRun run = CliRun.gymlink("rollout", "--env", "GymlinkTest/DictObs-v0", "--episodes", "1", "--envserver-command",
        String.join(" ", PythonEnvServer.command()), "--envserver-args", "--test-envs");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("(local env server, pid "), run.out());
    assertTrue(run.out().contains("episode 1: return") && run.out().contains("length 10 (truncated)"), run.out());
    long pid = Long.parseLong(run.out().replaceAll("(?s).*local env server, pid (\\d+).*", "$1"));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server " + pid + " still runs");
  }

  @Test
  void rollout_terminatedMidRun_stopsItsLocalServer() throws Exception {
    // SIGTERM: the same shutdown path as Ctrl-C; the shutdown hook stops the server before gymlink exits.
    long serverPid = startRolloutThenEnd(cli -> cli.destroy(), Duration.ZERO);
    assertFalse(isAlive(serverPid), "local env server " + serverPid + " outlived gymlink");
  }

  @Test
  void rollout_killedMidRun_itsLocalServerExitsToo() throws Exception {
    // SIGKILL runs no shutdown hook: the server notices that its standard input (a pipe from gymlink) closed.
    long serverPid = startRolloutThenEnd(cli -> cli.destroyForcibly(), Duration.ofSeconds(20));
    assertFalse(isAlive(serverPid), "local env server " + serverPid + " outlived a killed gymlink");
  }

  /** Starts {@code gymlink rollout} in its own JVM, ends it mid-run, and returns its local server's pid. */
  private static long startRolloutThenEnd(Consumer<Process> end, Duration serverExitWait)
      throws Exception {
    Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GymlinkCli.class.getName(), "rollout", "--env", "Pendulum-v1",
        "--episodes", "1000000", "--envserver-command", String.join(" ", PythonEnvServer.command()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
      long serverPid = -1;
      for (String line = out.readLine(); line != null && !line.startsWith("episode 1:"); line = out.readLine()) {
        if (line.contains("local env server, pid ")) {
          serverPid = Long.parseLong(line.replaceAll(".*local env server, pid (\\d+).*", "$1"));
        }
      }
      assertTrue(serverPid > 0, "no local server pid printed");
      assertTrue(isAlive(serverPid));
      end.accept(cli);
      assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "gymlink did not exit");
      long deadline = System.nanoTime() + serverExitWait.toNanos();
      while (isAlive(serverPid) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      return serverPid;
    } finally {
      cli.destroyForcibly();
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void list_server_printsItsAllowedIdsOnePerLine() {
    CliRun run = CliRun.gymlink("list", "--server", SERVER.target());
    assertEquals(0, run.exitCode(), run.err());
    List<String> ids = run.out().lines().toList();
    assertTrue(ids.contains("Pendulum-v1") && ids.contains("GymlinkTest/DictObs-v0"), run.out());
  }

  private static List<String> episodeLines(String out) {
    return out.lines().filter(l -> l.startsWith("episode") || l.contains("episodes:")).toList();
  }


}
