package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.td3.UpdateMetrics;
import io.gymlink.testing.InMemoryEnv;
import io.gymlink.vector.SyncVectorEnv;
import io.gymlink.vector.VectorEnv;
import io.gymlink.vector.VectorStepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synchronous loop on N in-memory envs (SB3's OffPolicyAlgorithm on a VecEnv): what trainFreq, gradientSteps
 * and learningStarts count, episodes per env, interrupted rows, determinism. No Python, no sockets.
 */
class TrainerVectorEnvTest {

  static RunConfig config(long total, Map<String, Object> more) {
    Map<String, Object> overrides = new LinkedHashMap<>(Map.of("totalTimesteps", total, "seed", 2L,
        "netArch", List.of(8, 8), "batchSize", 8, "bufferSize", 5000, "evalFreq", 0, "evalEpisodes", 1,
        "checkpointFreq", 0, "saveReplayBuffer", true));
    overrides.putAll(more);
    return ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, overrides).config();
  }

  static RunContext context(Path runDir, ProgressReporter progress) {
    return new RunContext(runDir, progress, Versions.current(), RunContext.LOCAL_SERVER);
  }

  static List<InMemoryEnv> envs(int n, int timeLimit) {
    List<InMemoryEnv> envs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      envs.add(new InMemoryEnv(timeLimit));
    }
    return envs;
  }

  /** Runs {@code config} on {@code envs}; returns, per gradient step, the transitions collected at that moment. */
  static List<Long> train(RunConfig config, VectorEnv envs, Path runDir, ProgressReporter progress) {
    List<Long> stepsAtUpdate = new ArrayList<>();
    Trainer trainer = Trainer.start(config, envs, new InMemoryEnv(50), context(runDir, progress));
    trainer.onUpdate(m -> stepsAtUpdate.add(trainer.numTimesteps()));
    trainer.run();
    return stepsAtUpdate;
  }

  @Test
  void trainFreq_countsVectorSteps_andLearningStarts_countsTransitions(@TempDir Path dir) {
    List<InMemoryEnv> envs = envs(4, 1000);
    RunConfig config = config(200, Map.of("numEnvs", 4, "trainFreq", 2, "gradientSteps", 3, "learningStarts", 41));
    List<Long> updates = train(config, new SyncVectorEnv(envs), dir, new RecordingReporter());
    // 50 vector steps of 4 transitions; a phase at every 2nd vector step once past 41 transitions: vector steps
    // 12, 14, ..., 50 (48 transitions at the first), 3 gradient steps each.
    assertEquals(60, updates.size());
    assertEquals(48, updates.get(0));
    assertEquals(List.of(48L, 56L, 200L), List.of(updates.get(0), updates.get(3), updates.get(59)));
    envs.forEach(env -> assertEquals(50, env.steps(), "every env stepped once per vector step"));
  }

  @Test
  void gradientStepsMinusOne_makesOneGradientStepPerTransition(@TempDir Path dir) {
    RunConfig config = config(300, Map.of("numEnvs", 3, "trainFreq", 2, "gradientSteps", -1,
        "learningStarts", 30));
    List<Long> updates = train(config, new SyncVectorEnv(envs(3, 1000)), dir, new RecordingReporter());
    // 100 vector steps; phases at even vector steps past 30 transitions (12, 14, ..., 100): 45 phases of 2 x 3.
    assertEquals(270, updates.size());
    assertEquals(36, updates.get(0));
    assertEquals(1.0, CheckpointStore.load(dir).learnerUpdates() / (300.0 - 30), 1e-12);
  }

  @Test
  void trainFreqUnitEpisode_oneEnv_trainsAtEveryOtherEpisodeEnd_onePerTransitionCollected(@TempDir Path dir)
      throws Exception {
    RunConfig config = config(300, Map.of("trainFreq", 2, "trainFreqUnit", "episode", "gradientSteps", -1,
        "learningStarts", 25));
    List<Long> updates = train(config, new SyncVectorEnv(envs(1, 10)), dir, new RecordingReporter());
    List<Long> expected = expectedEpisodePhases(episodeEnds(dir), 1, 2, 25);
    assertTrue(expected.size() > 100, "the run trains: " + expected.size());
    assertEquals(expected, updates);
  }

  @Test
  void trainFreqUnitEpisode_manyEnvs_countsEpisodesOfAllEnvs_andGradientStepsMinusOneTheirTransitions(
      @TempDir Path dir) throws Exception {
    RunConfig config = config(300, Map.of("numEnvs", 3, "trainFreq", 2, "trainFreqUnit", "episode",
        "gradientSteps", -1, "learningStarts", 30));
    List<Long> updates = train(config, new SyncVectorEnv(envs(3, 7)), dir, new RecordingReporter());
    List<Long> expected = expectedEpisodePhases(episodeEnds(dir), 3, 2, 30);
    assertTrue(expected.size() > 100, "the run trains: " + expected.size());
    assertEquals(expected, updates);
  }

  @Test
  void trainFreqUnitEpisode_fixedGradientSteps_perPhase(@TempDir Path dir) throws Exception {
    RunConfig config = config(200, Map.of("trainFreq", 1, "trainFreqUnit", "episode", "gradientSteps", 5,
        "learningStarts", 0));
    List<Long> updates = train(config, new SyncVectorEnv(envs(1, 10)), dir, new RecordingReporter());
    List<Long> ends = episodeEnds(dir);
    assertEquals(5 * ends.size(), updates.size());
    assertEquals(Set.copyOf(ends), Set.copyOf(updates), "updates only at episode ends");
  }

  /** metrics.csv's episode rows: the step count when each episode ended, in order. */
  static List<Long> episodeEnds(Path runDir) throws Exception {
    return Files.readAllLines(runDir.resolve("metrics.csv")).stream().skip(1)
        .map(line -> Long.parseLong(line.split(",", -1)[0])).toList();
  }

  /**
   * SB3's collect_rollouts with train_freq=(k, "episode") and gradient_steps=-1, replayed from the episode ends of
   * N envs: a phase ends with the vector step in which the k-th episode since the last phase ended; it trains, past
   * learningStarts transitions, one gradient step per transition it collected. Returns the step count at each.
   */
  static List<Long> expectedEpisodePhases(List<Long> ends, int numEnvs, int k, long learningStarts) {
    Map<Long, Integer> endedInVectorStep = new TreeMap<>();
    for (long end : ends) {
      endedInVectorStep.merge((end + numEnvs - 1) / numEnvs, 1, Integer::sum);
    }
    List<Long> expected = new ArrayList<>();
    long phaseStart = 0;
    int episodes = 0;
    for (Map.Entry<Long, Integer> vectorStep : endedInVectorStep.entrySet()) {
      episodes += vectorStep.getValue();
      if (episodes >= k) {
        long steps = vectorStep.getKey() * numEnvs;
        if (steps > learningStarts) {
          for (long i = phaseStart; i < steps; i++) {
            expected.add(steps);
          }
        }
        phaseStart = steps;
        episodes = 0;
      }
    }
    return expected;
  }

  @Test
  void episodes_areRecordedPerEnv_withTheEnvIndex(@TempDir Path dir) throws Exception {
    List<InMemoryEnv> envs = envs(3, 20);
    RunConfig config = config(300, Map.of("numEnvs", 3, "learningStarts", 60));
    train(config, new SyncVectorEnv(envs), dir, new RecordingReporter());
    Map<Integer, Integer> rowsPerEnv = new TreeMap<>();
    long previousStep = 0;
    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
    for (int i = 1; i < lines.size(); i++) {
      String[] row = lines.get(i).split(",", -1);
      assertEquals(i, Integer.parseInt(row[1]), "episodes numbered in order");
      assertTrue(Long.parseLong(row[0]) >= previousStep);
      previousStep = Long.parseLong(row[0]);
      assertTrue(Integer.parseInt(row[3]) <= 20, lines.get(i));
      rowsPerEnv.merge(Integer.parseInt(row[8]), 1, Integer::sum);
    }
    assertEquals(Set.of(0, 1, 2), rowsPerEnv.keySet());
    for (int env = 0; env < 3; env++) {
      // Every ended episode was reset right away (same-step autoreset) and got its own row.
      assertEquals(envs.get(env).resets() - 1, (long) rowsPerEnv.get(env), "env " + env);
    }
    assertEquals(lines.size() - 1, CheckpointStore.load(dir).episodes());
  }

  @Test
  void interruptedRows_endTheEpisodeAsTruncated_andStoreNoTransition(@TempDir Path dir) throws Exception {
    // Seed 2: env 1 starts at position 0 and, re-made, at 1; 9 and 14 random steps cannot push it past |5|.
    List<InMemoryEnv> envs = envs(2, 1000);
    InterruptingVectorEnv vector = new InterruptingVectorEnv(envs, 1, Set.of(10, 25));
    RecordingReporter progress = new RecordingReporter();
    RunConfig config = config(100, Map.of("numEnvs", 2, "learningStarts", 1000, "actionNoise", "none"));
    train(config, vector, dir, progress);
    Checkpoint saved = CheckpointStore.load(dir);
    assertEquals(100, saved.numTimesteps(), "51 vector steps of 2 envs, less the 2 lost rows");
    io.gymlink.buffer.ReplayBuffer buffer = new io.gymlink.buffer.ReplayBuffer(5000, 3, 1);
    CheckpointStore.loadReplayBuffer(dir, buffer);
    assertEquals(100, buffer.size(), "a transition for every stored step, none for the lost ones");
    List<String> env1 = Files.readAllLines(dir.resolve("metrics.csv")).stream().skip(1)
        .filter(l -> l.split(",", -1)[8].equals("1")).toList();
    assertEquals(List.of("9", "14"), env1.stream().map(l -> l.split(",")[3]).toList(), env1::toString);
    assertTrue(progress.logged("2 episode(s) cut short by a lost env"), progress.lines::toString);
  }

  @Test
  void sameSeed_manyEnvs_sameLosses(@TempDir Path dir) {
    RunConfig config = config(400, Map.of("numEnvs", 4, "learningStarts", 40, "normalizeObservations", true,
        "actionNoise", "ornstein-uhlenbeck"));
    List<UpdateMetrics> a = new ArrayList<>();
    List<UpdateMetrics> b = new ArrayList<>();
    for (List<UpdateMetrics> seen : List.of(a, b)) {
      Trainer trainer = Trainer.start(config, new SyncVectorEnv(envs(4, 30)), new InMemoryEnv(30),
          context(dir.resolve("run" + seen.hashCode()), new RecordingReporter()));
      trainer.onUpdate(seen::add);
      trainer.run();
    }
    assertEquals(90, a.size());
    assertEquals(a, b);
  }

  @Test
  void numEnvs_mustMatchTheVectorEnv(@TempDir Path dir) {
    var e = assertThrows(IllegalArgumentException.class, () -> Trainer.start(config(10, Map.of("numEnvs", 3)),
        new SyncVectorEnv(envs(2, 10)), new InMemoryEnv(10), context(dir, new RecordingReporter())));
    assertEquals("numEnvs is 3, but the vector env has 2 envs", e.getMessage());
  }

  /** A vector env whose env {@code lost} is lost (and re-made) at the given vector steps, as a dead server's. */
  static final class InterruptingVectorEnv implements VectorEnv {
    private final List<InMemoryEnv> envs;
    private final SyncVectorEnv inner;
    private final int lost;
    private final Set<Integer> atSteps;
    private int steps;

    InterruptingVectorEnv(List<InMemoryEnv> envs, int lost, Set<Integer> atSteps) {
      this.envs = envs;
      this.inner = new SyncVectorEnv(envs);
      this.lost = lost;
      this.atSteps = atSteps;
    }

    @Override
    public VectorStepResult step(BoxValue actions) {
      VectorStepResult result = inner.step(actions);
      if (!atSteps.contains(++steps)) {
        return result;
      }
      float[] observations = result.observations().data().clone();
      float[] first = envs.get(lost).reset().observation().asBox().data();
      System.arraycopy(first, 0, observations, lost * first.length, first.length);
      double[] rewards = result.rewards().clone();
      rewards[lost] = 0;
      boolean[] truncated = result.truncated().clone();
      truncated[lost] = true;
      boolean[] terminated = result.terminated().clone();
      terminated[lost] = false;
      float[][] finals = result.finalObservations().clone();
      finals[lost] = null;
      boolean[] interrupted = new boolean[envs.size()];
      interrupted[lost] = true;
      return new VectorStepResult(result.envIds(), new BoxValue(observations, result.observations().shape()),
          rewards, terminated, truncated, finals, interrupted, result.infos());
    }

    @Override
    public int numEnvs() {
      return inner.numEnvs();
    }

    @Override
    public BoxSpace singleObservationSpace() {
      return inner.singleObservationSpace();
    }

    @Override
    public BoxSpace singleActionSpace() {
      return inner.singleActionSpace();
    }

    @Override
    public BoxValue reset(Long seed) {
      return inner.reset(seed);
    }

    @Override
    public void send(BoxValue actions, int[] envIds) {
      throw new UnsupportedOperationException("synchronous only");
    }

    @Override
    public VectorStepResult recv(int minResults) {
      throw new UnsupportedOperationException("synchronous only");
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
