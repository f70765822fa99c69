package io.gymlink.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BlasTest {
  private final OffHeapArena arena = new OffHeapArena(1);
  private long next;

  /**
   * Every transpose combination, with matrix, row-vector and column-vector shapes (the sgemv path), on operands
   * whose rows are further apart than their width (as a layer's activations with their ones column).
   */
  @Test
  void gemm_allShapesAndTransposes_matchNaiveProduct() {
    Random random = new Random(7);
    int[][] shapes = {{5, 4, 3}, {1, 4, 3}, {5, 1, 3}, {1, 1, 3}, {5, 4, 1}};
    for (int[] mnk : shapes) {
      for (int t = 0; t < 4; t++) {
        boolean transA = (t & 1) != 0;
        boolean transB = (t & 2) != 0;
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        float[] a = ReferenceNet.randomMatrix(random, m, k); // op(A), row-major m x k
        float[] b = ReferenceNet.randomMatrix(random, k, n); // op(B), row-major k x n
        Matrix na = transA ? store(transpose(a, m, k), k, m) : store(a, m, k);
        Matrix nb = transB ? store(transpose(b, k, n), n, k) : store(b, k, n);
        float[] c0 = ReferenceNet.randomMatrix(random, m, n);
        Matrix nc = store(c0, m, n);
        Blas.gemm(transA, transB, 2f, na, nb, 0.5f, nc);
        float[] c = new float[m * n];
        OffHeapKernels.copyRowsOut(nc.address(), m, n, nc.ld(), c, 0);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double expected = 0.5 * c0[i * n + j];
            for (int p = 0; p < k; p++) {
              expected += 2.0 * a[i * k + p] * b[p * n + j];
            }
            assertEquals(expected, c[i * n + j], 1e-5, m + "x" + n + "x" + k + " transA=" + transA + " transB="
                + transB + " at " + i + "," + j);
          }
        }
      }
    }
  }

  @Test
  void gemm_mismatchedShapes_refusedNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(false, false, 1f, store(new float[6], 2, 3), store(new float[20], 4, 5), 0f,
            store(new float[10], 2, 5)));
    assertTrue(e.getMessage().contains("op(A) 2x3, op(B) 4x5"), e.getMessage());
  }

  /** A rows x cols matrix holding {@code values}, rows cols + 2 floats apart. */
  private Matrix store(float[] values, int rows, int cols) {
    int ld = cols + 2;
    Matrix matrix = Matrix.in(arena, 0, next, rows, cols, ld);
    arena.zero(0, next, (long) rows * ld);
    OffHeapKernels.copyRowsIn(values, 0, cols, matrix.address(), rows, cols, ld);
    next += (long) rows * ld;
    return matrix;
  }

  private static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }
}
