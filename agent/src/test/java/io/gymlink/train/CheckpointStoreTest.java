package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.random.SplitMix64Random;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

  private static Checkpoint checkpoint(long steps, boolean normalizer) {
    LinkedHashMap<String, float[]> arrays = new LinkedHashMap<>();
    arrays.put("actor.W0", new float[] {1.5f, -2.25f, Float.MIN_VALUE, 3e-38f});
    arrays.put("critic.b0", new float[] {0.1f});
    SplitMix64Random rng = new SplitMix64Random(5);
    rng.nextGaussian();
    RunningMeanStd stats = new RunningMeanStd(3);
    stats.update(new float[] {1, 2, 3});
    return new Checkpoint("Pendulum-v1", 3, "Box(-8.0, 8.0, [3], float32)", BoxSpace.of(1, -2, 2),
        RunConfig.defaults("Pendulum-v1", "ddpg"), steps, 7, rng.state(),
        new SplitMix64Random(6).state(), 42, arrays, normalizer ? Checkpoint.NormalizerState.of(stats) : null,
        false, Map.of("gymlink", "test"));
  }

  @Test
  void saveLoad_roundTripsEveryField(@TempDir Path runDir) {
    Checkpoint saved = checkpoint(1000, true);
    Path dir = CheckpointStore.save(runDir, saved, null);
    assertEquals(runDir.resolve("checkpoint"), dir);
    Checkpoint loaded = CheckpointStore.load(runDir);
    assertEquals(saved.envId(), loaded.envId());
    assertEquals(saved.actionSpace(), loaded.actionSpace());
    assertEquals(saved.config(), loaded.config());
    assertEquals(saved.runRng(), loaded.runRng());
    assertEquals(saved.learnerRng(), loaded.learnerRng());
    assertEquals(1000, loaded.numTimesteps());
    assertEquals(7, loaded.episodes());
    assertEquals(42, loaded.learnerUpdates());
    assertEquals(saved.learnerArrays().keySet(), loaded.learnerArrays().keySet());
    saved.learnerArrays().forEach((k, v) -> assertArrayEquals(v, loaded.learnerArrays().get(k), k));
    assertArrayEquals(saved.normalizer().mean(), loaded.normalizer().mean());
    assertArrayEquals(saved.normalizer().var(), loaded.normalizer().var());
    assertEquals(saved.normalizer().count(), loaded.normalizer().count());
    assertFalse(loaded.hasReplayBuffer());
    assertEquals(Map.of("gymlink", "test"), loaded.versions());
  }

  @Test
  void save_twice_replacesAndLeavesNoTemporaries(@TempDir Path runDir) throws Exception {
    CheckpointStore.save(runDir, checkpoint(1000, false), null);
    CheckpointStore.save(runDir, checkpoint(2000, false), null);
    assertEquals(2000, CheckpointStore.load(runDir).numTimesteps());
    try (var files = Files.list(runDir)) {
      assertEquals(java.util.List.of("checkpoint"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals(null, CheckpointStore.load(runDir.resolve("checkpoint")).normalizer());
  }

  @Test
  void replayBuffer_roundTrips(@TempDir Path runDir) {
    ReplayBuffer buffer = new ReplayBuffer(16, 3, 1);
    for (int i = 0; i < 20; i++) {
      buffer.add(new float[] {i, i, i}, new float[] {i}, i, new float[] {i, i, i}, false);
    }
    CheckpointStore.save(runDir, checkpoint(20, false), buffer);
    assertTrue(CheckpointStore.load(runDir).hasReplayBuffer());
    ReplayBuffer loaded = new ReplayBuffer(16, 3, 1);
    CheckpointStore.loadReplayBuffer(runDir, loaded);
    Batch a = Batch.allocate(32, 3, 1);
    Batch b = Batch.allocate(32, 3, 1);
    buffer.sample(a, new SplitMix64Random(1));
    loaded.sample(b, new SplitMix64Random(1));
    assertArrayEquals(a.observations(), b.observations());
  }

  @Test
  void checkCompatible_otherEnv_namesBothSides(@TempDir Path runDir) {
    Checkpoint saved = checkpoint(10, false);
    var e = assertThrows(CheckpointMismatchException.class,
        () -> saved.checkCompatible("runs/x", "MountainCarContinuous-v0", 2, BoxSpace.of(1, -1, 1)));
    assertEquals("checkpoint runs/x does not fit this environment: env id is 'MountainCarContinuous-v0', "
        + "checkpoint has 'Pendulum-v1'; observation size is 2, checkpoint has 3; action space is "
        + "Box(-1.0, 1.0, [1], float32), checkpoint has Box(-2.0, 2.0, [1], float32)", e.getMessage());
    saved.checkCompatible("runs/x", "Pendulum-v1", 3, BoxSpace.of(1, -2, 2));
  }

  @Test
  void load_missing_saysWhere(@TempDir Path dir) {
    var e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(dir));
    assertTrue(e.getMessage().startsWith("no checkpoint in " + dir), e.getMessage());
    var e2 = assertThrows(CheckpointException.class, () -> CheckpointStore.load(dir.resolve("nope")));
    assertEquals("checkpoint " + dir.resolve("nope") + " does not exist", e2.getMessage());
  }

  @Test
  void load_truncatedArrays_refused(@TempDir Path runDir) throws Exception {
    CheckpointStore.save(runDir, checkpoint(10, false), null);
    Path learner = runDir.resolve("checkpoint").resolve("learner.bin");
    byte[] bytes = Files.readAllBytes(learner);
    Files.write(learner, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    var e = assertThrows(CheckpointException.class, () -> CheckpointStore.load(runDir));
    assertTrue(e.getMessage().contains("checkpoint.json lists 20"), e.getMessage());
  }
}
