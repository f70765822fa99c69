package io.gymlink.td3;

/**
 * Adam (Kingma &amp; Ba 2015) over one flat parameter vector, with PyTorch's {@code torch.optim.Adam} arithmetic
 * and defaults (betas 0.9/0.999, eps 1e-8, no weight decay), fused into one loop.
 */
final class Adam {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPSILON = 1e-8;

  private final double learningRate;
  private final float[] m;
  private final float[] v;
  private long steps;

  Adam(int size, double learningRate) {
    this.learningRate = learningRate;
    this.m = new float[size];
    this.v = new float[size];
  }

  /** One step: params -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps). */
  void step(float[] params, float[] grads) {
    steps++;
    double biasCorrection1 = 1 - Math.pow(BETA1, steps);
    double biasCorrection2 = 1 - Math.pow(BETA2, steps);
    float stepSize = (float) (learningRate / biasCorrection1);
    float inverseSqrtCorrection2 = (float) (1 / Math.sqrt(biasCorrection2));
    float b1 = (float) BETA1;
    float b2 = (float) BETA2;
    float oneMinusB1 = (float) (1 - BETA1);
    float oneMinusB2 = (float) (1 - BETA2);
    float eps = (float) EPSILON;
    for (int i = 0; i < params.length; i++) {
      float g = grads[i];
      float mi = b1 * m[i] + oneMinusB1 * g;
      float vi = b2 * v[i] + oneMinusB2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= stepSize * mi / ((float) Math.sqrt(vi) * inverseSqrtCorrection2 + eps);
    }
  }

  /** The live first-moment array (m). */
  float[] firstMoment() {
    return m;
  }

  /** The live second-moment array (v). */
  float[] secondMoment() {
    return v;
  }

  long steps() {
    return steps;
  }

  /** Sets the step count (bias correction) when restoring saved moments into {@link #firstMoment()} etc. */
  void setSteps(long steps) {
    this.steps = steps;
  }
}
