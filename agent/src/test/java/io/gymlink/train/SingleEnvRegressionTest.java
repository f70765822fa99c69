package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.td3.UpdateMetrics;
import io.gymlink.testing.InMemoryEnv;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * One env, synchronous collection, fixed seed: the loop must give the single-env trainer's results bit for bit.
 * The digests were produced by this test run against the single-env trainer before vector envs, from a {@code git
 * archive} with this file copied in: SHA-256 of the raw bits of every gradient step's (critic loss, actor loss,
 * mean Q) then the final evaluation returns, and of the replay buffer's contents, first 16 hex digits.
 *
 * <p>The replay-buffer digests of warm-up-only runs depend only on the loop (RNG draw order, noise, reset seeds,
 * what is stored); they are those of commit 21f47d1. The loss digests also depend on the learner's arithmetic and
 * moved with the ND4J network package: they are those of the single-env trainer at main fbba841 (the learner
 * of io.gymlink.nn), which the vector loop matched at 21f47d1 with the learner before it as well. A deliberate
 * change of the update's floating-point path moves them again; re-pin them from a loop known to be unchanged.
 */
class SingleEnvRegressionTest {

  private static RunConfig config(String algo, long total, Map<String, Object> more) {
    Map<String, Object> overrides = new LinkedHashMap<>(Map.of("totalTimesteps", total, "seed", 11L,
        "netArch", List.of(16, 16), "batchSize", 16, "bufferSize", 3000, "learningStarts", 100, "evalFreq", 250,
        "evalEpisodes", 2, "checkpointFreq", 0, "maxEpisodeSteps", 40));
    overrides.putAll(more);
    return ConfigResolver.withBundledPresets(algo).resolve("InMemory-v0", null, overrides).config();
  }

  private static RunContext context(Path runDir) {
    return new RunContext(runDir, new RecordingReporter(), Versions.current(), RunContext.LOCAL_SERVER);
  }

  private static Map<String, Object> variant(String name) {
    return switch (name) {
      case "default" -> Map.of();
      case "ou-freq3-all-norm" -> Map.of("actionNoise", "ornstein-uhlenbeck", "trainFreq", 3, "gradientSteps", -1,
          "normalizeObservations", true);
      case "freq4-gs2" -> Map.of("trainFreq", 4, "gradientSteps", 2);
      default -> throw new IllegalArgumentException(name);
    };
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "ddpg, default, 900, 57d6c35b76b54931",
      "td3, default, 900, f8795c90cb9fe11c",
      "ddpg, ou-freq3-all-norm, 900, 8213a82c7209e4f8",
      "td3, ou-freq3-all-norm, 900, f09937d0a861289b",
      "ddpg, freq4-gs2, 450, 34cbf01bd9c8f9c5",
      "td3, freq4-gs2, 450, 55b6ef0de1551689"})
  void losses_andEvaluations_matchTheSingleEnvLoop(String algo, String name, int updates, String digest,
      @TempDir Path dir) {
    List<UpdateMetrics> seen = new ArrayList<>();
    Trainer trainer = Trainer.start(config(algo, 1000, variant(name)), new InMemoryEnv(40), new InMemoryEnv(40),
        context(dir));
    trainer.onUpdate(seen::add);
    Trainer.Result result = trainer.run();
    assertEquals(updates, seen.size());
    assertEquals(digest, digest(seen, result.finalEvaluation().returns()));
  }

  @org.junit.jupiter.api.Test
  void resumedRun_matchesTheSingleEnvLoop(@TempDir Path dir) {
    RunConfig first = config("ddpg", 500, Map.of("saveReplayBuffer", true, "normalizeObservations", true));
    Trainer.start(first, new InMemoryEnv(40), new InMemoryEnv(40), context(dir)).run();
    Checkpoint saved = CheckpointStore.load(dir);
    Map<String, Object> map = saved.config().toMap();
    map.put("totalTimesteps", 800L);
    List<UpdateMetrics> seen = new ArrayList<>();
    Trainer trainer = Trainer.resume(dir, saved, RunConfig.fromMap(map), new InMemoryEnv(40), new InMemoryEnv(40),
        context(dir));
    trainer.onUpdate(seen::add);
    Trainer.Result result = trainer.run();
    assertEquals(300, seen.size());
    assertEquals("c7879f7a3c6ceee0", digest(seen, result.finalEvaluation().returns()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"normal-norm, de3c293e4d5ffc25", "ou, 836c10566da83fc5"})
  void warmUpTransitions_matchTheSingleEnvLoop(String name, String digest, @TempDir Path dir) {
    Map<String, Object> overrides = new LinkedHashMap<>(Map.of("totalTimesteps", 500L, "seed", 5L,
        "netArch", List.of(8, 8), "batchSize", 8, "bufferSize", 1000, "learningStarts", 1000, "evalFreq", 0,
        "evalEpisodes", 1));
    overrides.putAll(Map.of("checkpointFreq", 0, "saveReplayBuffer", true, "maxEpisodeSteps", 30));
    overrides.putAll(name.equals("ou") ? Map.of("actionNoise", "ornstein-uhlenbeck", "actionNoiseSigma", 0.3)
        : Map.of("normalizeObservations", true));
    RunConfig config = ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, overrides).config();
    Trainer.start(config, new InMemoryEnv(30), new InMemoryEnv(30), context(dir)).run();
    ReplayBuffer buffer = new ReplayBuffer(1000, 3, 1);
    CheckpointStore.loadReplayBuffer(dir, buffer);
    assertEquals(500, buffer.size());
    assertEquals(digest, digest(buffer));
  }

  /** SHA-256 of the raw bits of each step's (critic loss, actor loss, mean Q), then of the returns; 16 hex digits. */
  static String digest(List<UpdateMetrics> metrics, double[] returns) {
    MessageDigest sha = sha256();
    ByteBuffer bytes = ByteBuffer.allocate(24);
    for (UpdateMetrics m : metrics) {
      bytes.clear();
      bytes.putLong(Double.doubleToRawLongBits(m.criticLoss()));
      bytes.putLong(Double.doubleToRawLongBits(m.actorLoss()));
      bytes.putLong(Double.doubleToRawLongBits(m.meanQ()));
      sha.update(bytes.array());
    }
    for (double r : returns) {
      bytes.clear();
      bytes.putLong(Double.doubleToRawLongBits(r));
      sha.update(bytes.array(), 0, 8);
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private static String digest(ReplayBuffer buffer) {
    MessageDigest sha = sha256();
    Batch all = Batch.allocate(buffer.size(), buffer.observationDim(), buffer.actionDim());
    for (int i = 0; i < buffer.size(); i++) {
      buffer.copyTo(i, all, i);
    }
    for (float[] array : List.of(all.observations(), all.actions(), all.rewards(), all.nextObservations(),
        all.terminated())) {
      ByteBuffer bytes = ByteBuffer.allocate(4 * array.length);
      for (float f : array) {
        bytes.putInt(Float.floatToRawIntBits(f));
      }
      sha.update(bytes.array());
    }
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
