package io.gymlink.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SplitMix64RandomTest {

  @Test
  void nextLong_matchesReferenceSplitMix64() {
    // First outputs of the reference splitmix64.c (Vigna) seeded with 1234567.
    SplitMix64Random random = new SplitMix64Random(1234567);
    assertEquals(6457827717110365317L, random.nextLong());
    assertEquals(3203168211198807973L, random.nextLong());
  }

  @Test
  void restore_continuesIdentically_includingSpareGaussian() {
    SplitMix64Random random = new SplitMix64Random(9);
    random.nextGaussian(); // leaves a spare Gaussian cached
    SplitMix64Random.State saved = random.state();
    double[] expected = {random.nextGaussian(), random.nextDouble(), random.nextInt(100), random.nextGaussian()};
    SplitMix64Random other = new SplitMix64Random(12345);
    other.restore(saved);
    double[] actual = {other.nextGaussian(), other.nextDouble(), other.nextInt(100), other.nextGaussian()};
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(actual));
  }

  @Test
  void differentSeeds_differentStreams() {
    assertNotEquals(new SplitMix64Random(0).nextLong(), new SplitMix64Random(1).nextLong());
  }

  @Test
  void nextGaussian_hasUnitVariance() {
    SplitMix64Random random = new SplitMix64Random(4);
    double sum = 0;
    double sumSq = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      double g = random.nextGaussian();
      sum += g;
      sumSq += g * g;
    }
    assertEquals(0, sum / n, 0.015);
    assertEquals(1, sumSq / n, 0.02);
  }
}
