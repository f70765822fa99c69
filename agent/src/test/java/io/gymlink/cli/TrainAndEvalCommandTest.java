package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gymlink train} and {@code gymlink eval} as a user runs them, against the real Python env server. */
class TrainAndEvalCommandTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  private static final List<String> TINY = List.of("--set", "netArch=[16,16]", "--set", "learningStarts=50",
      "--set", "batchSize=16", "--set", "bufferSize=1000", "--set", "evalEpisodes=1", "--set", "evalFreq=100",
      "--set", "checkpointFreq=100", "--set", "maxEpisodeSteps=50");

  private static CliRun gymlink(List<String> args) {
    return CliRun.gymlink(args.toArray(String[]::new));
  }

  private static List<String> args(String... first) {
    return new ArrayList<>(List.of(first));
  }

  @Test
  void train_resume_eval_endToEnd(@TempDir Path dir) {
    Path runDir = dir.resolve("run");
    List<String> train = args("train", "--env", "Pendulum-v1", "--steps", "200", "--seed", "4", "--server",
        SERVER.target(), "--out", runDir.toString());
    train.addAll(TINY);
    CliRun trained = gymlink(train);
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().startsWith("Pendulum-v1: 200 steps, final evaluation "), trained.out());
    for (String file : List.of("metrics.csv", "evaluations.csv", "config.json", "learning_curve.png",
        "checkpoint/checkpoint.json", "checkpoint/learner.bin")) {
      assertTrue(Files.exists(runDir.resolve(file)), file);
    }

    // Without --server, --resume steps the run's own server (recorded in config.json), not a new local one.
    CliRun resumed = gymlink(args("train", "--resume", runDir.toString(), "--steps", "300"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().startsWith("Pendulum-v1: 300 steps"), resumed.out());
    assertTrue(readString(runDir.resolve("config.json")).contains("\"server\" : \"" + SERVER.target() + "\""),
        readString(runDir.resolve("config.json")));

    CliRun evaluated = gymlink(args("eval", "--checkpoint", runDir.toString(), "--episodes", "2", "--server",
        SERVER.target()));
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    assertTrue(evaluated.out().contains("episode 2: return "), evaluated.out());
    assertTrue(evaluated.out().matches("(?s).*mean return -?[0-9.]+ ± [0-9.]+ over 2 episodes\\s*"),
        evaluated.out());

    CliRun mismatch = gymlink(args("eval", "--checkpoint", runDir.toString(), "--env", "MountainCarContinuous-v0",
        "--server", SERVER.target()));
    assertEquals(2, mismatch.exitCode());
    assertTrue(mismatch.err().contains("does not fit this environment: env id is 'MountainCarContinuous-v0', "
        + "checkpoint has 'Pendulum-v1'; observation size is 2, checkpoint has 3"), mismatch.err());
  }

  @Test
  void train_fourEnvsAsync_thenResumeOnTwoEnvsSync(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("run");
    List<String> train = args("train", "--env", "Pendulum-v1", "--num-envs", "4", "--async", "--steps", "400",
        "--seed", "1", "--server", SERVER.target(), "--out", runDir.toString());
    train.addAll(TINY);
    CliRun trained = gymlink(train);
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(trained.out().startsWith("Pendulum-v1: 400 steps, final evaluation "), trained.out());
    String config = readString(runDir.resolve("config.json"));
    assertTrue(config.contains("\"numEnvs\" : 4") && config.contains("\"asyncCollection\" : true"), config);
    List<String> envColumn = Files.readAllLines(runDir.resolve("metrics.csv")).stream().skip(1)
        .map(line -> line.split(",", -1)[8]).distinct().sorted().toList();
    assertEquals(List.of("0", "1", "2", "3"), envColumn);

    CliRun resumed = gymlink(args("train", "--resume", runDir.toString(), "--steps", "500", "--num-envs", "2"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().startsWith("Pendulum-v1: 500 steps"), resumed.out());
  }

  @Test
  void train_async_sigterm_checkpointsEveryStoredTransition(@TempDir Path dir) throws Exception {
    // SIGTERM takes Ctrl-C's path: the shutdown hook stops the learner and the collector thread, then checkpoints.
    Path runDir = dir.resolve("run");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GymlinkCli.class.getName(), "train", "--env", "Pendulum-v1",
        "--num-envs", "2", "--async", "--steps", "1000000", "--server", SERVER.target(), "--out", runDir.toString()));
    command.addAll(TINY);
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
        if (line.contains("checkpoint written to")) {
          break; // at step 100: training is under way
        }
      }
      // kill -TERM rather than destroy(), which would also close our end of its output.
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(cli.pid())).start().waitFor());
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.append(line).append('\n');
      }
      assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "gymlink did not exit");
      assertTrue(seen.toString().contains("Pendulum-v1: "), seen.toString());
      assertTrue(seen.toString().contains("interrupted; continue with: gymlink train --resume"), seen.toString());
      Checkpoint saved = CheckpointStore.load(runDir);
      assertTrue(saved.numTimesteps() >= 100 && saved.hasReplayBuffer(), seen.toString());
      ReplayBuffer buffer = new ReplayBuffer(1000, 3, 1);
      CheckpointStore.loadReplayBuffer(runDir, buffer);
      assertEquals(Math.min(1000, saved.numTimesteps()), buffer.size());
    } finally {
      cli.destroyForcibly();
    }
  }

  @Test
  void train_actionRepeat_recordedInConfig_reusedByResumeAndEval(@TempDir Path dir) {
    Path runDir = dir.resolve("run");
    List<String> train = args("train", "--env", "Pendulum-v1", "--steps", "100", "--action-repeat", "5",
        "--server", SERVER.target(), "--out", runDir.toString());
    train.addAll(TINY);
    CliRun trained = gymlink(train);
    assertEquals(0, trained.exitCode(), trained.err());
    assertTrue(readString(runDir.resolve("config.json")).contains("\"actionRepeat\" : 5"),
        readString(runDir.resolve("config.json")));

    // maxEpisodeSteps=50 counts frames: 10 agent steps of 5 frames; eval repeats as the run did unless told.
    CliRun evaluated = gymlink(args("eval", "--checkpoint", runDir.toString(), "--episodes", "1", "--server",
        SERVER.target()));
    assertEquals(0, evaluated.exitCode(), evaluated.err());
    assertTrue(evaluated.out().contains("action repeat 5") && evaluated.out().contains("length 10\n"),
        evaluated.out());
    CliRun frameByFrame = gymlink(args("eval", "--checkpoint", runDir.toString(), "--episodes", "1", "--server",
        SERVER.target(), "--action-repeat", "1"));
    assertEquals(0, frameByFrame.exitCode(), frameByFrame.err());
    assertTrue(frameByFrame.out().contains("length 50\n"), frameByFrame.out());

    CliRun resumed = gymlink(args("train", "--resume", runDir.toString(), "--steps", "150", "--print-config"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("\"actionRepeat\" : 5"), resumed.out());
    CliRun changed = gymlink(args("train", "--resume", runDir.toString(), "--action-repeat", "2"));
    assertEquals(2, changed.exitCode());
    assertTrue(changed.err().contains("only --steps, --num-envs, --async and server options"), changed.err());
  }

  @Test
  void train_help_describesNumEnvsAndAsync() {
    CliRun help = gymlink(args("train", "--help"));
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--num-envs=N") && help.out().contains("--async"), help.out());
    assertTrue(help.out().contains("--action-repeat=K") && help.out().contains("transitions"), help.out());
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void train_saveReplayBufferFalse_leavesTheBufferOut(@TempDir Path dir) {
    Path with = dir.resolve("with");
    List<String> train = args("train", "--env", "Pendulum-v1", "--steps", "100", "--server", SERVER.target(),
        "--out", with.toString(), "--save-replay-buffer");
    train.addAll(TINY);
    CliRun saved = gymlink(train);
    assertEquals(0, saved.exitCode(), saved.err());
    assertTrue(Files.exists(with.resolve("checkpoint/replay_buffer.bin")), "replay_buffer.bin with the flag");

    Path without = dir.resolve("without");
    List<String> plain = args("train", "--env", "Pendulum-v1", "--steps", "100", "--server", SERVER.target(),
        "--out", without.toString(), "--set", "saveReplayBuffer=false");
    plain.addAll(TINY);
    CliRun unsaved = gymlink(plain);
    assertEquals(0, unsaved.exitCode(), unsaved.err());
    assertTrue(Files.exists(without.resolve("checkpoint/checkpoint.json")));
    assertTrue(!Files.exists(without.resolve("checkpoint/replay_buffer.bin")), "no replay_buffer.bin without it");
  }

  @Test
  void train_unreachableServer_failsBeforeAnyWork(@TempDir Path dir) {
    Path runDir = dir.resolve("never");
    CliRun run = gymlink(args("train", "--env", "Pendulum-v1", "--server", "127.0.0.1:1", "--out",
        runDir.toString(), "--make-timeout", "5"));
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("gymlink train: error: cannot reach env server at 127.0.0.1:1"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
    assertFalse(Files.exists(runDir));
  }

  @Test
  void train_discreteActions_namesTheSpace(@TempDir Path dir) {
    CliRun run = gymlink(args("train", "--env", "CartPole-v1", "--server", SERVER.target(), "--out",
        dir.resolve("x").toString()));
    assertEquals(1, run.exitCode());
    assertEquals("gymlink train: error: DDPG needs a Box action space, but 'CartPole-v1' has Discrete(2)",
        run.err().strip());
  }

  @Test
  void train_printConfig_printsTheResolvedConfigAsJsonWithoutAServer() throws Exception {
    // An address nothing listens on: --print-config must not connect anywhere.
    CliRun run = gymlink(args("train", "--env", "LunarLanderContinuous-v3", "--algo", "td3", "--set", "batchSize=64",
        "--seed", "7", "--print-config", "--server", "127.0.0.1:1"));
    assertEquals(0, run.exitCode(), run.err());
    JsonNode config = new ObjectMapper().readTree(run.out());
    assertEquals("LunarLanderContinuous-v3", config.get("envId").asText());
    assertEquals("td3", config.get("algo").asText());
    assertEquals(64, config.get("batchSize").asInt());
    assertEquals(7, config.get("seed").asInt());
    assertEquals(0.98, config.get("gamma").asDouble());
    assertTrue(config.get("twinCritics").asBoolean());
    assertEquals("[400,300]", config.get("netArch").toString());
  }

  @Test
  void train_usageErrors_exit2WithOneLine(@TempDir Path dir) {
    CliRun noEnv = gymlink(args("train"));
    assertEquals(2, noEnv.exitCode());
    assertTrue(noEnv.err().startsWith("gymlink train: missing --env (or --resume DIR)"), noEnv.err());

    CliRun typo = gymlink(args("train", "--env", "Pendulum-v1", "--set", "gama=0.9"));
    assertEquals(2, typo.exitCode());
    assertTrue(typo.err().startsWith("gymlink train: command-line flags has unknown key(s) [gama]"), typo.err());

    CliRun invalid = gymlink(args("train", "--env", "Pendulum-v1", "--set", "tau=0"));
    assertEquals(2, invalid.exitCode());
    assertTrue(invalid.err().contains("tau must be in (0, 1], got 0.0"), invalid.err());

    CliRun noCheckpoint = gymlink(args("train", "--resume", dir.resolve("nothing").toString()));
    assertEquals(2, noCheckpoint.exitCode());
    assertTrue(noCheckpoint.err().startsWith("gymlink train: --resume: checkpoint " + dir.resolve("nothing")
        + " does not exist"), noCheckpoint.err());
  }
}
