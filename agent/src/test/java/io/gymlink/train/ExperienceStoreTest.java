package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.vector.VectorStepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a vector step's rows become: transitions, episode rows, observation statistics. */
class ExperienceStoreTest {

  private static BoxValue rows(float... values) {
    return new BoxValue(values, new int[] {values.length / 3, 3});
  }

  private static VectorStepResult result(int[] envIds, BoxValue observations, double[] rewards, boolean[] truncated,
      float[][] finals, boolean[] interrupted) {
    List<Map<String, Object>> infos = new ArrayList<>();
    for (int k = 0; k < envIds.length; k++) {
      infos.add(Map.of());
    }
    return new VectorStepResult(envIds, observations, rewards, new boolean[envIds.length], truncated, finals,
        interrupted, infos);
  }

  @Test
  void endedEpisode_storesItsTrueFinalObservation_andTheNextActionIsOnTheNewEpisode(@TempDir Path dir)
      throws Exception {
    ReplayBuffer buffer = new ReplayBuffer(10, 3, 1);
    ObservationNormalizer normalizer = new ObservationNormalizer(3);
    ExperienceStore store = new ExperienceStore(buffer, normalizer, new ReplayRatioLimiter(1, 1, 1), 2, 0);
    List<Integer> ended = new ArrayList<>();
    try (MetricsWriter writer = new MetricsWriter(dir, -1)) {
      store.start(rows(1, 1, 1, 2, 2, 2), new EpisodeRecorder(writer, 0, () -> 0L));
      store.observationsOf(new int[] {0, 1});
      assertEquals(2 + RunningMeanStd.INITIAL_COUNT, normalizer.stats().count(), 1e-12);
      store.setActions(new int[] {0, 1}, new float[] {0.5f, -0.5f});
      // Env 1's episode is truncated: final observation (9, 9, 9), new first observation (3, 3, 3).
      store.store(result(new int[] {0, 1}, rows(4, 4, 4, 3, 3, 3), new double[] {-1, -2},
          new boolean[] {false, true}, new float[][] {null, {9, 9, 9}}, new boolean[2]), ended::add);

      assertEquals(2, buffer.size());
      Batch stored = Batch.allocate(2, 3, 1);
      buffer.copyTo(0, stored, 0);
      buffer.copyTo(1, stored, 1);
      assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, stored.observations());
      assertArrayEquals(new float[] {0.5f, -0.5f}, stored.actions());
      assertArrayEquals(new float[] {-1, -2}, stored.rewards());
      assertArrayEquals(new float[] {4, 4, 4, 9, 9, 9}, stored.nextObservations());
      assertArrayEquals(new float[] {0, 0}, stored.terminated(), "a truncation bootstraps");
      assertEquals(List.of(1), ended);
      assertEquals(2, store.numTimesteps());
      assertEquals(1, store.episodes());
      // The two next observations joined the statistics; the new episode's first one joins when next acted on.
      assertEquals(4 + RunningMeanStd.INITIAL_COUNT, normalizer.stats().count(), 1e-12);
      assertArrayEquals(new float[] {4, 4, 4, 3, 3, 3}, store.observationsOf(new int[] {0, 1}));
      assertEquals(5 + RunningMeanStd.INITIAL_COUNT, normalizer.stats().count(), 1e-12);
    }
    String[] row = Files.readAllLines(dir.resolve("metrics.csv")).get(1).split(",", -1);
    // step, episode, return, length ... env, replay ratio (no gradient step for 2 eligible transitions yet)
    assertEquals(List.of("2", "1", "-2.00000", "1", "1", "0.00000"), List.of(row[0], row[1], row[2], row[3], row[8],
        row[9]));
  }

  @Test
  void interruptedRow_endsTheEpisodeAsTruncated_andStoresNoTransition(@TempDir Path dir) throws Exception {
    ReplayBuffer buffer = new ReplayBuffer(10, 3, 1);
    ReplayRatioLimiter limiter = new ReplayRatioLimiter(1, 1, 1);
    ExperienceStore store = new ExperienceStore(buffer, null, limiter, 2, 0);
    List<Integer> ended = new ArrayList<>();
    try (MetricsWriter writer = new MetricsWriter(dir, -1)) {
      store.start(rows(1, 1, 1, 2, 2, 2), new EpisodeRecorder(writer, 0, () -> 0L));
      store.setActions(new int[] {0, 1}, new float[] {0.5f, -0.5f});
      store.store(result(new int[] {0, 1}, rows(4, 4, 4, 5, 5, 5), new double[] {-1, -2}, new boolean[2],
          new float[2][], new boolean[2]), ended::add);
      // Env 0 is lost with its server: re-made, its new episode starts at (7, 7, 7).
      store.store(result(new int[] {0}, rows(7, 7, 7), new double[] {0}, new boolean[] {true}, new float[1][],
          new boolean[] {true}), ended::add);

      assertEquals(2, buffer.size(), "no transition for the lost step");
      assertEquals(2, store.numTimesteps());
      assertEquals(1, store.episodes());
      assertEquals(1, store.interruptedEpisodes());
      assertEquals(List.of(0), ended, "the lost env's noise is reset");
      assertEquals(2, limiter.owed(), "only stored transitions are eligible for gradient steps");
      assertArrayEquals(new float[] {7, 7, 7, 5, 5, 5}, store.observationsOf(new int[] {0, 1}));
    }
    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(2, lines.size(), "one episode row, the lost env's");
    String[] row = lines.get(1).split(",", -1);
    assertEquals(List.of("2", "1", "-1.00000", "1", "0"), List.of(row[0], row[1], row[2], row[3], row[8]));
  }
}
