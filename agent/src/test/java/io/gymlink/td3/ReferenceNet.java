package io.gymlink.td3;

/**
 * A double-precision forward pass written independently of {@link Mlp}, used by the tests as ground truth. It
 * reads Mlp's documented parameter layout: per layer W [in, out] row-major, then b [out].
 */
final class ReferenceNet {
  private ReferenceNet() {}

  /** Output of one input row {@code x} through the network. */
  static double[] forward(double[] params, int[] sizes, Activation hidden, Activation output, double[] x) {
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

  static double[] widen(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  static double[] row(float[] matrix, int row, int cols) {
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
}
