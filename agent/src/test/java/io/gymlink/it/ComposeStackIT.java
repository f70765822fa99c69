package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The compose stack (docker-compose.yml, with the host-network override on engines without bridges): the trainer
 * waits for a healthy env server, trains a few thousand steps and leaves its metrics, plot and checkpoint in runs/.
 *
 * <p>Runs the compose command named by {@value #COMPOSE_PROPERTY} ({@code docker-compose} or {@code docker
 * compose}) on the images bin/container-tests built.
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

  static final String COMPOSE_PROPERTY = "gymlink.it.compose";
  private static final long TIMEOUT_MINUTES = 15;
  private static final int STEPS = 3000;

  @TempDir
  Path runs;

  @Test
  void composeFile_isValidAsUsersRunIt() throws Exception {
    Result config = compose(List.of("-f", "docker-compose.yml"), Map.of(), "config", "--quiet");
    assertEquals(0, config.exitCode(), "compose config of docker-compose.yml:\n" + config.output());
  }

  @Test
  void composeUp_trainerTrainsAgainstHealthyEnvServer_andWritesRunIntoMountedRuns() throws Exception {
    int port = EnvServerContainer.freeLoopbackPort();
    List<String> files = List.of("-f", "docker-compose.yml", "-f", "docker/compose.host-network.yml");
    Map<String, String> env = Map.of(
        "COMPOSE_PROJECT_NAME", "gymlink-it-" + port,
        "GYMLINK_PORT", Integer.toString(port),
        "GYMLINK_RUNS", runs.toString(),
        "GYMLINK_ENV", "Pendulum-v1",
        "GYMLINK_STEPS", Integer.toString(STEPS),
        "GYMLINK_SEED", "1",
        // Small enough to finish in CI, large enough that DDPG updates, evaluates and checkpoints.
        "GYMLINK_TRAIN_ARGS", "--set learningStarts=1000 --set evalFreq=1500 --set checkpointFreq=1500"
            + " --set netArch=[64,64]",
        "GYMLINK_ENVSERVER_IMAGE", EnvServerContainer.requireLocalImage(),
        "GYMLINK_TRAINER_IMAGE", System.getProperty("gymlink.it.trainerImage", "gymlink/trainer:test"));
    try {
      Result up = compose(files, env, "up", "--no-build", "--exit-code-from", "trainer");
      assertEquals(0, up.exitCode(), "trainer exit code; compose output:\n" + up.output());
    } finally {
      compose(files, env, "down", "--volumes", "--timeout", "10");
    }

    Path runDir;
    try (Stream<Path> dirs = Files.list(runs)) {
      List<Path> all = dirs.filter(Files::isDirectory).toList();
      assertEquals(1, all.size(), "one run directory in runs/: " + all);
      runDir = all.get(0);
    }
    assertTrue(runDir.getFileName().toString().startsWith("Pendulum-v1-"), runDir.toString());
    List<String> metrics = Files.readAllLines(runDir.resolve("metrics.csv"), StandardCharsets.UTF_8);
    // Pendulum episodes are 200 steps: the run must have logged one row per episode after the header.
    assertEquals(1 + STEPS / 200, metrics.size(), "metrics.csv lines:\n" + String.join("\n", metrics));
    assertTrue(Files.size(runDir.resolve("learning_curve.png")) > 0, "learning_curve.png written");
    assertTrue(Files.isDirectory(runDir.resolve("checkpoint")), "checkpoint/ written");
  }

  private record Result(int exitCode, String output) {}

  /** Runs the compose command in the project directory, echoing its output, bounded by {@link #TIMEOUT_MINUTES}. */
  private static Result compose(List<String> files, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(Arrays.asList(System.getProperty(COMPOSE_PROPERTY, "docker-compose")
        .trim().split("\\s+")));
    command.addAll(files);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(projectDir().toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          System.out.println("[compose] " + line);
          synchronized (output) {
            output.append(line).append('\n');
          }
        }
      } catch (IOException e) {
        // the process went away; its exit code tells what happened
      }
    });
    reader.start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      fail(String.join(" ", command) + " did not finish within " + TIMEOUT_MINUTES + " minutes");
    }
    reader.join(10_000);
    synchronized (output) {
      return new Result(process.exitValue(), output.toString());
    }
  }

  private static Path projectDir() {
    String dir = System.getProperty("gymlink.it.projectDir");
    if (dir == null || !Files.isRegularFile(Path.of(dir, "docker-compose.yml"))) {
      throw new IllegalStateException("system property gymlink.it.projectDir must name the repository root (with"
          + " docker-compose.yml); Maven's docker-it profile sets it; got " + dir);
    }
    return Path.of(dir);
  }
}
