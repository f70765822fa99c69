package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void step_twoSteps_matchHandComputation() {
    double lr = 0.01;
    Adam adam = new Adam(2, lr);
    float[] params = {1f, -0.5f};
    double[][] gradients = {{0.2, -3.0}, {-0.1, 1.0}};
    double[] p = {1, -0.5};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 2; t++) {
      float[] g = {(float) gradients[t - 1][0], (float) gradients[t - 1][1]};
      adam.step(params, g);
      for (int i = 0; i < 2; i++) {
        double gi = g[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double vHat = v[i] / (1 - Math.pow(0.999, t));
        p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
      }
      assertEquals(p[0], params[0], 1e-6, "step " + t);
      assertEquals(p[1], params[1], 1e-6, "step " + t);
    }
    assertEquals(2, adam.steps());
  }
}
