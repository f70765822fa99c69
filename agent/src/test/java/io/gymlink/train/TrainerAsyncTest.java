package io.gymlink.train;

import static io.gymlink.train.TrainerVectorEnvTest.config;
import static io.gymlink.train.TrainerVectorEnvTest.context;
import static io.gymlink.train.TrainerVectorEnvTest.envs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.testing.InMemoryEnv;
import io.gymlink.vector.SyncVectorEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous collection on in-memory envs: the replay ratio is held, evaluations and checkpoints see the run at
 * rest at their steps, Ctrl-C and a failing env keep every transition collected. Checks counts, never timings.
 */
class TrainerAsyncTest {

  private static long buffered(Path runDir) {
    ReplayBuffer buffer = new ReplayBuffer(5000, 3, 1);
    CheckpointStore.loadReplayBuffer(runDir, buffer);
    return buffer.size();
  }

  @Test
  void replayRatio_isHeldWhileCollecting_andMetExactlyAtTheEnd(@TempDir Path dir) throws Exception {
    // 1 gradient step per vector step of 4 envs: ratio 1/4; slack 4 gradient steps (16 transitions, the minimum).
    RunConfig config = config(2000, Map.of("numEnvs", 4, "learningStarts", 100, "asyncCollection", true));
    List<long[]> seen = new ArrayList<>();
    RecordingReporter progress = new RecordingReporter();
    Trainer trainer = Trainer.start(config, new SyncVectorEnv(envs(4, 50)), new InMemoryEnv(50),
        context(dir, progress));
    trainer.onUpdate(m -> seen.add(new long[] {seen.size() + 1, trainer.numTimesteps()}));
    Trainer.Result result = trainer.run();

    assertEquals(2000, result.steps());
    assertEquals((2000 - 100) / 4, seen.size(), "the learner catches up at the end");
    for (long[] point : seen) {
      long quota = (point[1] - 100) / 4;
      assertTrue(point[0] <= quota, "never ahead of the ratio: step " + point[0] + " at " + point[1]);
      assertTrue(quota - point[0] <= 4 + 1, "never behind by more than slack + a batch in flight: step "
          + point[0] + " at " + point[1]);
    }
    assertEquals(475, CheckpointStore.load(dir).learnerUpdates());
    assertTrue(progress.logged("(replay ratio 0.250)"), progress.lines::toString);
    List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
    double lastRatio = Double.parseDouble(rows.get(rows.size() - 1).split(",", -1)[9]);
    assertEquals(0.25, lastRatio, 0.02, "metrics.csv reports the achieved ratio");
  }

  @Test
  void gradientStepsMinusOne_isOneGradientStepPerTransition(@TempDir Path dir) {
    RunConfig config = config(600, Map.of("numEnvs", 3, "learningStarts", 60, "gradientSteps", -1,
        "asyncCollection", true));
    Trainer.Result result = Trainer.start(config, new SyncVectorEnv(envs(3, 40)), new InMemoryEnv(40),
        context(dir, new RecordingReporter())).run();
    assertEquals(600, result.steps());
    assertEquals(540, CheckpointStore.load(dir).learnerUpdates());
    assertEquals(600, buffered(dir));
  }

  @Test
  void evaluationsAndCheckpoints_happenAtTheirSteps_withCollectionPaused(@TempDir Path dir) throws Exception {
    RunConfig config = config(2000, Map.of("numEnvs", 4, "learningStarts", 100, "asyncCollection", true,
        "evalFreq", 500, "checkpointFreq", 1000));
    RecordingReporter progress = new RecordingReporter();
    Trainer.Result result = Trainer.start(config, new SyncVectorEnv(envs(4, 50)), new InMemoryEnv(50),
        context(dir, progress)).run();
    List<Long> evaluated = Files.readAllLines(dir.resolve("evaluations.csv")).stream().skip(1)
        .map(l -> Long.parseLong(l.split(",")[0])).toList();
    assertEquals(4, evaluated.size(), evaluated::toString);
    for (int i = 0; i < 3; i++) {
      long due = 500L * (i + 1);
      // Collection pauses at the first answer batch (at most 4 rows) that reaches the due step.
      assertTrue(evaluated.get(i) >= due && evaluated.get(i) < due + 4, evaluated::toString);
    }
    assertEquals(2000, evaluated.get(3));
    assertEquals(2000, result.finalEvaluation().step());
    long checkpointsWritten = progress.lines.stream().filter(l -> l.startsWith("checkpoint written")).count();
    assertEquals(2, checkpointsWritten, progress.lines::toString);
    Checkpoint last = CheckpointStore.load(dir);
    assertEquals(2000, last.numTimesteps());
    assertEquals(2000, buffered(dir));
    assertEquals(475, last.learnerUpdates());
  }

  @Test
  void requestStop_checkpointsEveryStoredTransition_andTheRunResumes(@TempDir Path dir) {
    RunConfig config = config(5000, Map.of("numEnvs", 2, "learningStarts", 50, "gradientSteps", -1,
        "asyncCollection", true));
    Trainer trainer = Trainer.start(config, new SyncVectorEnv(envs(2, 30)), new InMemoryEnv(30),
        context(dir, new RecordingReporter()));
    int[] updates = {0};
    trainer.onUpdate(m -> {
      if (++updates[0] == 100) {
        trainer.requestStop(); // as the Ctrl-C hook does, from another thread
      }
    });
    Trainer.Result stopped = trainer.run();
    assertTrue(stopped.interrupted());
    Checkpoint saved = CheckpointStore.load(dir);
    assertTrue(saved.numTimesteps() >= 150 && saved.numTimesteps() < 5000, "" + saved.numTimesteps());
    assertEquals(saved.numTimesteps(), buffered(dir), "the checkpoint holds every transition it counts");

    Map<String, Object> map = saved.config().toMap();
    map.put("totalTimesteps", saved.numTimesteps() + 300);
    Trainer.Result resumed = Trainer.resume(dir, saved, RunConfig.fromMap(map), new SyncVectorEnv(envs(2, 30)),
        new InMemoryEnv(30), context(dir, new RecordingReporter())).run();
    assertEquals(saved.numTimesteps() + 300, resumed.steps());
    assertEquals(saved.learnerUpdates() + 300, CheckpointStore.load(dir).learnerUpdates());
  }

  @Test
  void envDies_checkpointKeepsEveryStoredTransition_andTheErrorPropagates(@TempDir Path dir) {
    RunConfig config = config(5000, Map.of("numEnvs", 2, "learningStarts", 50, "asyncCollection", true));
    RecordingReporter progress = new RecordingReporter();
    Trainer trainer = Trainer.start(config, new SyncVectorEnv(List.of(new InMemoryEnv(30), new DyingEnv(300))),
        new InMemoryEnv(30), context(dir, progress));
    var e = assertThrows(EnvServerUnavailableException.class, trainer::run);
    assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
    Checkpoint saved = CheckpointStore.load(dir);
    assertTrue(saved.numTimesteps() >= 500, "" + saved.numTimesteps());
    assertEquals(saved.numTimesteps(), buffered(dir));
    assertTrue(progress.logged("env failed at step " + saved.numTimesteps()), progress.lines::toString);
  }

  /** Fails with UNAVAILABLE from its {@code failAt}-th step on, as an env whose server died. */
  private static final class DyingEnv implements Env {
    private final Env inner = new InMemoryEnv(30);
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
}
