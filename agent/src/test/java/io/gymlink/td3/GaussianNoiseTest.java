package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GaussianNoiseTest {
  @Test
  void samples_haveStandardNormalMoments() {
    GaussianNoise noise = new GaussianNoise(42);
    int n = 200_000;
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      double x = noise.next();
      sum += x;
      sumSquares += x * x;
    }
    assertEquals(0, sum / n, 0.01);
    assertEquals(1, sumSquares / n, 0.01);
  }

  @Test
  void restore_continuesTheSameStream() {
    GaussianNoise a = new GaussianNoise(-7);
    a.next();
    GaussianNoise b = new GaussianNoise(0);
    b.restore(a.stateAsFloats());
    for (int i = 0; i < 10; i++) {
      assertEquals(a.next(), b.next());
    }
  }

  @Test
  void restore_nonIntegerWord_refused() {
    assertThrows(IllegalArgumentException.class, () -> new GaussianNoise(0).restore(new float[] {0.5f, 0, 0, 0}));
  }
}
