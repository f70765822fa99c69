package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gymlink.random.SplitMix64Random;
import org.junit.jupiter.api.Test;

class ObservationNormalizerTest {

  @Test
  void runningMeanStd_matchesTwoPassStatistics() {
    RunningMeanStd stats = new RunningMeanStd(2);
    SplitMix64Random random = new SplitMix64Random(1);
    int n = 5000;
    double[][] xs = new double[n][2];
    for (int i = 0; i < n; i++) {
      xs[i][0] = 3 + 2 * random.nextGaussian();
      xs[i][1] = -100 + 0.01 * random.nextGaussian();
      stats.update(new float[] {(float) xs[i][0], (float) xs[i][1]});
    }
    for (int d = 0; d < 2; d++) {
      double mean = 0;
      for (double[] x : xs) {
        mean += (float) x[d];
      }
      mean /= n;
      double var = 0;
      for (double[] x : xs) {
        var += ((float) x[d] - mean) * ((float) x[d] - mean);
      }
      var /= n;
      // Merge with the pseudo-sample SB3 starts from: weight c at mean 0, variance 1.
      double c = RunningMeanStd.INITIAL_COUNT;
      double expectedMean = mean * n / (n + c);
      double expectedVar = (n * var + c + n * c / (n + c) * mean * mean) / (n + c);
      assertEquals(expectedMean, stats.mean()[d], 1e-9 * Math.max(1, Math.abs(mean)));
      assertEquals(expectedVar, stats.var()[d], 1e-6 * expectedVar);
    }
    assertEquals(n + RunningMeanStd.INITIAL_COUNT, stats.count(), 1e-9);
  }

  @Test
  void normalize_standardisesAndClips() {
    ObservationNormalizer normalizer = new ObservationNormalizer(1);
    for (float x : new float[] {1, 3, 1, 3}) {
      normalizer.update(new float[] {x});
    }
    // mean 2, var 1 (up to the pseudo-count): 3 -> +1, 2 -> 0, 1000 -> clipped to 10.
    assertEquals(1.0, normalizer.normalize(new float[] {3})[0], 1e-3);
    assertEquals(0.0, normalizer.normalize(new float[] {2})[0], 1e-3);
    assertEquals(10.0f, normalizer.normalize(new float[] {1000})[0]);
    float[] rows = {3, 2, 1};
    normalizer.normalizeRowsInPlace(rows);
    assertArrayEquals(new float[] {1, 0, -1}, rows, 1e-3f);
  }

  @Test
  void normalize_doesNotChangeStatistics() {
    ObservationNormalizer normalizer = new ObservationNormalizer(1);
    normalizer.update(new float[] {5});
    double before = normalizer.stats().mean()[0];
    normalizer.normalize(new float[] {100});
    assertEquals(before, normalizer.stats().mean()[0]);
  }
}
