package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.testing.InMemoryEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's resume and failure paths, on the in-memory env (no server): nothing collected is lost. */
class TrainerFaultsAndResumeTest {

  /** A progress reporter that keeps the log lines. */
  private static final class RecordingReporter implements ProgressReporter {
    final List<String> lines = new ArrayList<>();

    @Override
    public void start(long initialStep, long totalSteps) {}

    @Override
    public void update(long step, double lastReturn, double meanReturn) {}

    @Override
    public void log(String message) {
      lines.add(message);
    }

    @Override
    public void close() {}
  }

  /** Fails with UNAVAILABLE from its {@code failAt}-th step on, as an env whose server died. */
  private static final class DyingEnv implements Env {
    private final Env inner = new InMemoryEnv(50);
    private final int failAt;
    private int steps;

    DyingEnv(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public ResetResult reset(Long seed, Map<String, Object> options) {
      return inner.reset(seed, options);
    }

    @Override
    public StepResult step(SpaceValue action) {
      if (++steps >= failAt) {
        throw new EnvServerUnavailableException("cannot reach env server at 127.0.0.1:1 (UNAVAILABLE)");
      }
      return inner.step(action);
    }

    @Override
    public Space observationSpace() {
      return inner.observationSpace();
    }

    @Override
    public Space actionSpace() {
      return inner.actionSpace();
    }

    @Override
    public EnvSpec spec() {
      return inner.spec();
    }

    @Override
    public void close() {}
  }

  private static RunConfig config(long totalTimesteps, Map<String, Object> more) {
    Map<String, Object> overrides = new java.util.LinkedHashMap<>(Map.of(
        "totalTimesteps", totalTimesteps, "netArch", List.of(8, 8), "batchSize", 8, "bufferSize", 2000,
        "evalFreq", 0, "evalEpisodes", 1, "checkpointFreq", 0));
    overrides.putAll(more);
    return ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, overrides).config();
  }

  private static RunContext context(Path runDir, ProgressReporter progress, String server) {
    return new RunContext(runDir, progress, Versions.current(), server);
  }

  private static Map<String, Object> withTotal(RunConfig config, long total) {
    Map<String, Object> map = config.toMap();
    map.put("totalTimesteps", total);
    return map;
  }

  @Test
  void resume_withoutReplayBuffer_refillsTenBatches_notAllOfLearningStarts(@TempDir Path runDir) {
    RunConfig first = config(500, Map.of("learningStarts", 400, "saveReplayBuffer", false));
    Trainer.start(first, new InMemoryEnv(50), new InMemoryEnv(50), context(runDir, new RecordingReporter(), "local"))
        .run();
    Checkpoint saved = CheckpointStore.load(runDir);
    assertFalse(saved.hasReplayBuffer());
    assertEquals(100, saved.learnerUpdates());
    RunConfig resumed = RunConfig.fromMap(withTotal(saved.config(), 650));
    RecordingReporter progress = new RecordingReporter();
    Trainer.resume(runDir, saved, resumed, new InMemoryEnv(50), new InMemoryEnv(50),
        context(runDir, progress, "local")).run();
    // 10 batches of 8 = 80 transitions refill the buffer (not learningStarts = 400), then one update per step.
    assertEquals(100 + 70, CheckpointStore.load(runDir).learnerUpdates());
    assertTrue(progress.lines.stream().anyMatch(l -> l.contains("collecting 80 transitions")), progress.lines::toString);
    assertTrue(progress.lines.stream().noneMatch(l -> l.startsWith("WARNING")), progress.lines::toString);
    assertTrue(progress.lines.get(progress.lines.size() - 1).contains("70 gradient steps this session"),
        progress.lines::toString);
  }

  @Test
  void resume_whoseRefillEatsTheRestOfTheRun_warnsLoudly(@TempDir Path runDir) {
    RunConfig first = config(500, Map.of("learningStarts", 400, "saveReplayBuffer", false));
    Trainer.start(first, new InMemoryEnv(50), new InMemoryEnv(50), context(runDir, new RecordingReporter(), "local"))
        .run();
    Checkpoint saved = CheckpointStore.load(runDir);
    RecordingReporter progress = new RecordingReporter();
    Trainer.resume(runDir, saved, RunConfig.fromMap(withTotal(saved.config(), 550)), new InMemoryEnv(50),
        new InMemoryEnv(50), context(runDir, progress, "local")).run();
    assertTrue(progress.lines.stream().anyMatch(l -> l.startsWith("WARNING: the 50 steps left in this run are"
        + " fewer than the 80 transitions of the refill")), progress.lines::toString);
    assertTrue(progress.lines.get(progress.lines.size() - 1).contains(" 0 gradient steps this session"),
        progress.lines::toString);
  }

  @Test
  void replayBuffer_isSavedByDefault_whenItFits(@TempDir Path runDir) {
    RunConfig config = config(120, Map.of("learningStarts", 100));
    assertEquals(ReplayBufferSaving.AUTO, config.train().saveReplayBuffer());
    Trainer.start(config, new InMemoryEnv(50), new InMemoryEnv(50), context(runDir, new RecordingReporter(), "local"))
        .run();
    assertTrue(CheckpointStore.load(runDir).hasReplayBuffer());
  }

  @Test
  void envServerDies_checkpointIsWrittenAtTheLastStep_beforeTheErrorPropagates(@TempDir Path runDir) {
    RunConfig config = config(1000, Map.of("learningStarts", 100, "checkpointFreq", 100));
    RecordingReporter progress = new RecordingReporter();
    Trainer trainer = Trainer.start(config, new DyingEnv(251), new InMemoryEnv(50),
        context(runDir, progress, "127.0.0.1:1"));
    var e = assertThrows(EnvServerUnavailableException.class, trainer::run);
    assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
    Checkpoint saved = CheckpointStore.load(runDir);
    assertEquals(250, saved.numTimesteps(), "the 250 steps taken are all in the checkpoint, not just 200");
    assertTrue(saved.hasReplayBuffer());
    assertTrue(progress.lines.stream().anyMatch(l -> l.startsWith("env failed at step 250")), progress.lines::toString);
    assertTrue(progress.lines.stream().anyMatch(l -> l.contains("--resume " + runDir)), progress.lines::toString);
  }

  @Test
  void configJson_recordsTheEnvServer(@TempDir Path runDir) throws Exception {
    RunConfig config = config(20, Map.of("learningStarts", 100));
    Trainer.start(config, new InMemoryEnv(50), new InMemoryEnv(50),
        context(runDir, new RecordingReporter(), "grpc://10.0.0.7:50051")).run();
    assertEquals("grpc://10.0.0.7:50051",
        new ObjectMapper().readTree(runDir.resolve("config.json").toFile()).path("server").asText());
  }
}
