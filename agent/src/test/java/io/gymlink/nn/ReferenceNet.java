package io.gymlink.nn;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A double-precision forward pass written independently of {@link Network}, used by the tests as ground truth,
 * with the finite differences and random inputs the gradient checks use. It
 * reads the network's documented parameter layout: per layer W [in, out] row-major, then b [out].
 */
public final class ReferenceNet {
  private ReferenceNet() {}

  /** Output of one input row {@code x} through the network. */
  public static double[] forward(double[] params, int[] sizes, Activation hidden, Activation output, double[] x) {
    double[] in = x;
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int nIn = sizes[l];
      int nOut = sizes[l + 1];
      double[] y = new double[nOut];
      for (int j = 0; j < nOut; j++) {
        double z = params[offset + nIn * nOut + j];
        for (int i = 0; i < nIn; i++) {
          z += in[i] * params[offset + i * nOut + j];
        }
        y[j] = apply(l + 2 == sizes.length ? output : hidden, z);
      }
      offset += nIn * nOut + nOut;
      in = y;
    }
    return in;
  }

  public static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  public static double[] row(float[] matrix, int row, int cols) {
    double[] r = new double[cols];
    for (int j = 0; j < cols; j++) {
      r[j] = matrix[row * cols + j];
    }
    return r;
  }

  private static double apply(Activation f, double z) {
    return switch (f) {
      case IDENTITY -> z;
      case RELU -> Math.max(z, 0);
      case TANH -> Math.tanh(z);
    };
  }

  /** (f(x + h e_i) - f(x - h e_i)) / 2h, h = 1e-6, in double precision. */
  public static double centralDifference(ToDoubleFunction<double[]> f, double[] at, int index) {
    double h = 1e-6;
    double saved = at[index];
    at[index] = saved + h;
    double plus = f.applyAsDouble(at);
    at[index] = saved - h;
    double minus = f.applyAsDouble(at);
    at[index] = saved;
    return (plus - minus) / (2 * h);
  }

  /** A rows x cols row-major matrix uniform in [-1, 1]. */
  public static float[] randomMatrix(Random random, int rows, int cols) {
    float[] m = new float[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (2 * random.nextDouble() - 1);
    }
    return m;
  }
}
