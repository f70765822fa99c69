package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.UpdateMetrics;
import io.gymlink.testing.PythonEnvServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The trainer against the real Python env server: every phase, resume, determinism, policy round trip, bad input. */
class TrainerIntegrationTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  private static GrpcEnvFactory factory;

  @BeforeAll
  static void connect() {
    factory = SERVER.sharedFactory();
  }

  /** Pendulum with tiny nets and 50-step episodes (time-limit truncations), small enough for CI. */
  private static RunConfig config(long totalTimesteps, long seed, Map<String, Object> more) {
    Map<String, Object> overrides = new java.util.LinkedHashMap<>(Map.of(
        "totalTimesteps", totalTimesteps, "seed", seed, "netArch", List.of(32, 32), "learningStarts", 100,
        "batchSize", 32, "bufferSize", 5000, "evalFreq", 150, "evalEpisodes", 2, "checkpointFreq", 150,
        "maxEpisodeSteps", 50));
    overrides.putAll(more);
    return ConfigResolver.withBundledPresets("ddpg").resolve("Pendulum-v1", null, overrides).config();
  }

  private static RunContext context(Path runDir) {
    return new RunContext(runDir, new LogLineReporter("test", 100, System::nanoTime), Versions.current(),
        RunContext.LOCAL_SERVER);
  }

  private static Env make(String envId, RunConfig config) {
    return factory.make(envId, Map.of(), config.train().maxEpisodeSteps());
  }

  @Test
  void run_thenResume_exercisesEveryPhase(@TempDir Path runDir) throws Exception {
    RunConfig first = config(300, 0, Map.of("saveReplayBuffer", true, "normalizeObservations", true));
    try (Env env = make("Pendulum-v1", first); Env evalEnv = make("Pendulum-v1", first)) {
      Trainer.Result result = Trainer.start(first, env, evalEnv, context(runDir)).run();
      assertEquals(300, result.steps());
      assertEquals(300, result.finalEvaluation().step());
    }
    Checkpoint saved = CheckpointStore.load(runDir);
    assertEquals(300, saved.numTimesteps());
    assertEquals(6, saved.episodes());
    assertEquals(200, saved.learnerUpdates()); // one per step after the 100 warm-up steps
    assertTrue(saved.hasReplayBuffer());
    assertTrue(saved.normalizer() != null);
    assertEquals(2, Files.readAllLines(runDir.resolve("evaluations.csv")).size() - 1); // steps 150 and 300
    List<String> rows = Files.readAllLines(runDir.resolve("metrics.csv"));
    assertEquals(7, rows.size());
    assertTrue(rows.get(1).matches("50,1,-?[0-9.]+,50,,,,[0-9.]+"), rows.get(1)); // warm-up: no losses yet
    assertTrue(rows.get(6).matches("300,6,-?[0-9.]+,50,[0-9.e-]+,-?[0-9.e-]+,-?[0-9.e-]+,[0-9.]+"), rows.get(6));

    RunConfig resumed = RunConfig.fromMap(withTotal(saved.config(), 450));
    try (Env env = make("Pendulum-v1", resumed); Env evalEnv = make("Pendulum-v1", resumed)) {
      Trainer.Result result =
          Trainer.resume(runDir, saved, resumed, env, evalEnv, context(runDir)).run();
      assertEquals(450, result.steps());
      assertEquals(150, result.stepsThisSession());
    }
    Checkpoint last = CheckpointStore.load(runDir);
    assertEquals(450, last.numTimesteps());
    assertEquals(9, last.episodes());
    assertEquals(350, last.learnerUpdates()); // the replay buffer came back, so updates continued at once
    assertEquals(10, Files.readAllLines(runDir.resolve("metrics.csv")).size());
    assertEquals(3, Files.readAllLines(runDir.resolve("evaluations.csv")).size() - 1);
    assertTrue(Files.size(runDir.resolve("learning_curve.png")) > 1000);
    assertTrue(Files.readString(runDir.resolve("config.json")).contains("\"resumedAtStep\" : 300"));
  }

  @Test
  void timeLimitTruncation_storesTrueFinalObservation_notTerminal(@TempDir Path runDir) {
    // 120 warm-up steps with 50-step episodes: truncations after steps 50 and 100, no updates.
    RunConfig config = config(120, 2, Map.of("learningStarts", 200, "evalFreq", 0, "checkpointFreq", 0,
        "saveReplayBuffer", true));
    try (Env env = make("Pendulum-v1", config); Env evalEnv = make("Pendulum-v1", config)) {
      Trainer.start(config, env, evalEnv, context(runDir)).run();
    }
    ReplayBuffer buffer = new ReplayBuffer(config.offPolicy().bufferSize(), 3, 1);
    CheckpointStore.loadReplayBuffer(runDir, buffer);
    assertEquals(120, buffer.size());
    Batch transitions = Batch.allocate(120, 3, 1);
    for (int i = 0; i < 120; i++) {
      buffer.copyTo(i, transitions, i);
    }
    for (int i = 0; i < 119; i++) {
      assertEquals(0f, transitions.terminated()[i], "Pendulum never terminates; step " + i);
      float[] next = java.util.Arrays.copyOfRange(transitions.nextObservations(), 3 * i, 3 * i + 3);
      float[] following = java.util.Arrays.copyOfRange(transitions.observations(), 3 * i + 3, 3 * i + 6);
      if ((i + 1) % 50 == 0) {
        // After a truncation the env was reset: the stored next observation is the episode's last one, not the
        // reset observation the next transition starts from.
        assertFalse(java.util.Arrays.equals(next, following), "step " + i);
        assertEquals(1.0, next[0] * next[0] + next[1] * next[1], 1e-5, "a real Pendulum state (cos, sin, w)");
      } else {
        assertArrayEquals(next, following, "step " + i);
      }
    }
  }

  @Test
  void requestStop_checkpointsAtThatStepAndSkipsFinalEvaluation(@TempDir Path runDir) {
    RunConfig config = config(1000, 5, Map.of("evalFreq", 0, "checkpointFreq", 0));
    Trainer.Result result;
    try (Env env = make("Pendulum-v1", config); Env evalEnv = make("Pendulum-v1", config)) {
      Trainer trainer = Trainer.start(config, env, evalEnv, context(runDir));
      int[] updates = {0};
      trainer.onUpdate(m -> {
        if (++updates[0] == 30) {
          trainer.requestStop(); // as the Ctrl-C hook does, from the middle of a step
        }
      });
      result = trainer.run();
    }
    assertTrue(result.interrupted());
    assertEquals(130, result.steps()); // 100 warm-up steps, then the 30th update's step finishes
    assertEquals(null, result.finalEvaluation());
    assertEquals(130, CheckpointStore.load(runDir).numTimesteps());
  }

  @Test
  void sameSeed_sameLosses_otherSeed_otherLosses(@TempDir Path dir) {
    List<UpdateMetrics> a = losses(dir.resolve("a"), 7);
    List<UpdateMetrics> b = losses(dir.resolve("b"), 7);
    List<UpdateMetrics> c = losses(dir.resolve("c"), 8);
    assertEquals(900, a.size());
    assertEquals(a, b); // bit-identical doubles: record equality compares them exactly
    assertNotEquals(a.get(0), c.get(0));
  }

  private static List<UpdateMetrics> losses(Path runDir, long seed) {
    RunConfig config = config(1000, seed, Map.of("evalFreq", 0, "checkpointFreq", 0, "evalEpisodes", 1));
    List<UpdateMetrics> seen = new ArrayList<>();
    try (Env env = make("Pendulum-v1", config); Env evalEnv = make("Pendulum-v1", config)) {
      Trainer trainer = Trainer.start(config, env, evalEnv, context(runDir));
      trainer.onUpdate(seen::add);
      trainer.run();
    }
    return seen;
  }

  @Test
  void checkpoint_reloadedPolicy_givesBitIdenticalActions(@TempDir Path runDir) {
    RunConfig config = config(250, 3, Map.of("normalizeObservations", true, "evalFreq", 0, "checkpointFreq", 0));
    try (Env env = make("Pendulum-v1", config); Env evalEnv = make("Pendulum-v1", config)) {
      Trainer trainer = Trainer.start(config, env, evalEnv, context(runDir));
      trainer.run();
      DeterministicPolicy reloaded = DeterministicPolicy.fromCheckpoint(CheckpointStore.load(runDir));
      SplitMix64Random random = new SplitMix64Random(0);
      for (int i = 0; i < 100; i++) {
        float[] observation = {random.nextFloat() * 2 - 1, random.nextFloat() * 2 - 1, random.nextFloat() * 16 - 8};
        assertArrayEquals(trainer.policy().apply(observation), reloaded.apply(observation));
      }
    }
  }

  @Test
  void discreteActionSpace_isRefusedNamingTheSpace(@TempDir Path runDir) {
    RunConfig config = ConfigResolver.withBundledPresets("ddpg").resolve("CartPole-v1", null, Map.of()).config();
    try (Env env = factory.make("CartPole-v1"); Env evalEnv = factory.make("CartPole-v1")) {
      var e = assertThrows(UnsupportedSpaceException.class,
          () -> Trainer.start(config, env, evalEnv, context(runDir)));
      assertEquals("DDPG needs a Box action space, but 'CartPole-v1' has Discrete(2)", e.getMessage());
    }
    assertFalse(Files.exists(runDir.resolve("metrics.csv")));
  }

  @Test
  void resume_onOtherEnv_isRefusedNamingTheMismatch(@TempDir Path runDir) {
    RunConfig config = config(60, 0, Map.of("evalFreq", 0, "checkpointFreq", 0, "learningStarts", 60));
    try (Env env = make("Pendulum-v1", config); Env evalEnv = make("Pendulum-v1", config)) {
      Trainer.start(config, env, evalEnv, context(runDir)).run();
    }
    Checkpoint saved = CheckpointStore.load(runDir);
    Map<String, Object> map = withTotal(saved.config(), 100);
    map.put("envId", "MountainCarContinuous-v0");
    RunConfig other = RunConfig.fromMap(map);
    try (Env env = factory.make("MountainCarContinuous-v0"); Env evalEnv = factory.make("MountainCarContinuous-v0")) {
      var e = assertThrows(CheckpointMismatchException.class,
          () -> Trainer.resume(runDir, saved, other, env, evalEnv, context(runDir)));
      assertTrue(e.getMessage().startsWith("checkpoint " + runDir + " does not fit this environment: env id is "
          + "'MountainCarContinuous-v0', checkpoint has 'Pendulum-v1'; observation size is 2, checkpoint has 3; "
          + "action space is Box(-1.0, 1.0, [1], float32), checkpoint has Box(-2.0, 2.0, [1], float32)"),
          e.getMessage());
    }
  }

  private static Map<String, Object> withTotal(RunConfig config, long total) {
    Map<String, Object> map = config.toMap();
    map.put("totalTimesteps", total);
    return map;
  }
}
