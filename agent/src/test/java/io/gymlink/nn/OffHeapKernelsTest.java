package io.gymlink.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OffHeapKernelsTest {
  private static final int N = 1000;

  @Test
  void adamAndPolyak_equalAScalarLoopOnHeapArrays_bitForBit() {
    OffHeapArena arena = new OffHeapArena(5);
    Random random = new Random(3);
    float[][] heap = new float[5][N];
    for (int region = 0; region < 5; region++) {
      for (int i = 0; i < N; i++) {
        heap[region][i] = region == 3 ? (float) random.nextDouble() : (float) (random.nextDouble() - 0.5);
      }
      arena.write(region, 0, heap[region], 0, N);
    }
    OffHeapKernels.AdamStep s = new OffHeapKernels.AdamStep(0.9f, 0.1f, 0.999f, 0.001f, 0.01f, 1.3f, 1e-8f);
    OffHeapKernels.adamAndPolyak(arena.address(0, 0), N, s, 0.995f, 0.005f);
    for (int i = 0; i < N; i++) {
      float g = heap[1][i];
      float m = 0.9f * heap[2][i] + 0.1f * g;
      float v = 0.999f * heap[3][i] + 0.001f * g * g;
      float p = heap[0][i] - 0.01f * m / ((float) Math.sqrt(v) * 1.3f + 1e-8f);
      heap[0][i] = p;
      heap[2][i] = m;
      heap[3][i] = v;
      heap[4][i] = heap[4][i] * 0.995f + 0.005f * p;
    }
    for (int region : new int[] {0, 2, 3, 4}) {
      float[] actual = new float[N];
      arena.read(region, 0, actual, 0, N);
      for (int i = 0; i < N; i++) {
        assertEquals(heap[region][i], actual[i], 0f, "region " + region + " element " + i);
      }
    }
  }

  @Test
  void backpropActivation_multipliesTheDeltasOneRegionOn() {
    OffHeapArena arena = new OffHeapArena(2);
    float[] y = {0f, 0.5f, 2f, -0.25f};
    float[] d = {1f, 2f, 3f, 4f};
    arena.write(0, 8, y, 0, 4);
    arena.write(1, 8, d, 0, 4);
    OffHeapKernels.backpropActivation(Activation.TANH, arena.address(0, 8), 4);
    float[] out = new float[4];
    arena.read(1, 8, out, 0, 4);
    for (int i = 0; i < 4; i++) {
      assertEquals(d[i] * (1f - y[i] * y[i]), out[i], 0f);
    }
  }

  @Test
  void arenaAccessOutsideItsRegions_refused() {
    OffHeapArena arena = new OffHeapArena(2);
    assertThrows(IndexOutOfBoundsException.class, () -> arena.address(2, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> arena.zero(0, OffHeapKernels.REGION_FLOATS - 1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> arena.write(0, 0, new float[3], 1, 3));
  }
}
