package io.gymlink.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.GymlinkCli;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import picocli.CommandLine;

/** Short DDPG runs ({@code gymlink train --server}) against the containerised env server. */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class DdpgContainerIT {

  @Container
  static final EnvServerContainer SERVER = EnvServerContainer.withTestEnvs();

  private static final int STEPS = 400;
  private static final int LEARNING_STARTS = 100;

  @Test
  void train_pendulum_updatesAfterWarmUp_andWritesTheRun(@TempDir Path dir) {
    Path run = dir.resolve("pendulum");
    train(run, "Pendulum-v1", 5, "--set", "maxEpisodeSteps=50");

    Checkpoint checkpoint = CheckpointStore.load(run);
    assertEquals(STEPS, checkpoint.numTimesteps());
    assertEquals(STEPS / 50, checkpoint.episodes(), "50-step episodes");
    assertEquals(STEPS - LEARNING_STARTS, checkpoint.learnerUpdates(), "one update per step after the warm-up");
    assertTrue(Files.exists(run.resolve("metrics.csv")) && Files.exists(run.resolve("learning_curve.png")));
  }

  @Test
  void train_mujocoHopper_fromTheImage(@TempDir Path dir) {
    // A MuJoCo env (11-dim observation, 3 actions): the image's MuJoCo extra trains end to end.
    Path run = dir.resolve("hopper");
    // Per-step training (the preset trains per episode), so that the update count is exact.
    train(run, "Hopper-v5", 1, "--set", "maxEpisodeSteps=100", "--set", "trainFreqUnit=step",
        "--set", "gradientSteps=1");
    assertEquals(STEPS - LEARNING_STARTS, CheckpointStore.load(run).learnerUpdates());
  }

  @Test
  void train_sameSeedTwice_bitIdenticalNetworks(@TempDir Path dir) {
    train(dir.resolve("a"), "Pendulum-v1", 9, "--set", "maxEpisodeSteps=50");
    train(dir.resolve("b"), "Pendulum-v1", 9, "--set", "maxEpisodeSteps=50");
    Checkpoint a = CheckpointStore.load(dir.resolve("a"));
    Checkpoint b = CheckpointStore.load(dir.resolve("b"));
    assertEquals(a.learnerArrays().keySet(), b.learnerArrays().keySet());
    a.learnerArrays().forEach((name, values) -> assertArrayEquals(values, b.learnerArrays().get(name), name));
  }

  /** Runs {@code gymlink train} in-process against the container, failing with its output when it fails. */
  private static void train(Path out, String envId, long seed, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--server", SERVER.target(), "--env", envId,
        "--steps", Integer.toString(STEPS), "--seed", Long.toString(seed), "--out", out.toString(),
        "--set", "learningStarts=" + LEARNING_STARTS, "--set", "netArch=[32,32]", "--set", "batchSize=32",
        "--set", "evalFreq=0", "--set", "evalEpisodes=1", "--set", "checkpointFreq=0"));
    args.addAll(List.of(more));
    StringWriter output = new StringWriter();
    CommandLine cli = GymlinkCli.commandLine(false);
    cli.setOut(new PrintWriter(output, true));
    cli.setErr(new PrintWriter(output, true));
    int exitCode = cli.execute(args.toArray(String[]::new));
    assertEquals(0, exitCode, "gymlink " + String.join(" ", args) + ":\n" + output);
  }
}
