package io.gymlink.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.random.SplitMix64Random;
import org.junit.jupiter.api.Test;

class ActionNoiseTest {

  @Test
  void normal_meanAndStdMatch() {
    NormalActionNoise noise = new NormalActionNoise(new double[] {0.5, -1}, new double[] {0.1, 2}, new SplitMix64Random(1));
    int n = 50_000;
    double[] sum = new double[2];
    double[] sumSq = new double[2];
    for (int i = 0; i < n; i++) {
      float[] x = noise.sample();
      for (int d = 0; d < 2; d++) {
        sum[d] += x[d];
        sumSq[d] += x[d] * x[d];
      }
    }
    double[] mean = {0.5, -1};
    double[] sigma = {0.1, 2};
    for (int d = 0; d < 2; d++) {
      double m = sum[d] / n;
      double s = Math.sqrt(sumSq[d] / n - m * m);
      // Standard error of the mean is sigma / sqrt(n) ~ 0.0045 sigma; 5 standard errors.
      assertEquals(mean[d], m, 5 * sigma[d] / Math.sqrt(n), "mean of dim " + d);
      assertEquals(sigma[d], s, 0.02 * sigma[d], "std of dim " + d);
    }
  }

  @Test
  void normal_sameSeed_sameSequence() {
    var a = NormalActionNoise.isotropic(3, 0.2, new SplitMix64Random(7));
    var b = NormalActionNoise.isotropic(3, 0.2, new SplitMix64Random(7));
    for (int i = 0; i < 10; i++) {
      assertArrayEquals(a.sample(), b.sample());
    }
  }

  @Test
  void normal_negativeSigma_refused() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new NormalActionNoise(new double[] {0}, new double[] {-1}, new SplitMix64Random(0)));
    assertTrue(e.getMessage().contains("sigma must be >= 0"), e.getMessage());
  }

  @Test
  void ornsteinUhlenbeck_isCorrelatedAndRevertsToMean() {
    // Large theta * dt so that the stationary distribution is reached quickly.
    var noise = new OrnsteinUhlenbeckActionNoise(
        new double[] {1.0}, new double[] {0.3}, 0.5, 0.1, null, new SplitMix64Random(2));
    int n = 100_000;
    double sum = 0;
    double sumSq = 0;
    double lagProduct = 0;
    double previous = 0;
    for (int i = 0; i < n; i++) {
      double x = noise.sample()[0];
      if (i >= 1000) {
        sum += x;
        sumSq += x * x;
        lagProduct += x * previous;
      }
      previous = x;
    }
    int m = n - 1000;
    double mean = sum / m;
    double var = sumSq / m - mean * mean;
    double lag1 = (lagProduct / m - mean * mean) / var;
    // Stationary: mean mu, variance sigma^2 dt / (1 - (1 - theta dt)^2) = 0.009 / 0.0975, lag-1 corr 1 - theta dt.
    assertEquals(1.0, mean, 0.02);
    assertEquals(0.009 / 0.0975, var, 0.01);
    assertEquals(0.95, lag1, 0.01);
  }

  @Test
  void ornsteinUhlenbeck_reset_restartsFromInitialNoise() {
    var a = OrnsteinUhlenbeckActionNoise.isotropic(2, 0.5, new SplitMix64Random(3));
    for (int i = 0; i < 100; i++) {
      a.sample();
    }
    a.reset();
    // After a reset the process starts from zero again, so its next value is one step from zero.
    var fresh = OrnsteinUhlenbeckActionNoise.isotropic(2, 0.5, new SplitMix64Random(3));
    SplitMix64Random sameDraws = new SplitMix64Random(3);
    for (int i = 0; i < 200; i++) {
      sameDraws.nextGaussian();
    }
    var continued = OrnsteinUhlenbeckActionNoise.isotropic(2, 0.5, sameDraws);
    assertArrayEquals(continued.sample(), a.sample());
    assertTrue(Math.abs(fresh.sample()[0]) < 0.5 * Math.sqrt(1e-2) * 5);
  }
}
