package io.gymlink.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {
  /** A 1 -> 1 identity layer: its parameters are [w, b]. */
  private static Network scalarLayer(float w, float b) {
    Network net = Network.mlp(1, List.of(), 1, Activation.IDENTITY, Activation.IDENTITY);
    net.setParameters(new float[] {w, b});
    return net;
  }

  @Test
  void step_twoSteps_matchHandComputation() {
    double lr = 0.01;
    Network net = scalarLayer(1f, -0.5f);
    Adam adam = new Adam(net, lr);
    double[][] gradients = {{0.2, -3.0}, {-0.1, 1.0}};
    double[] p = {1, -0.5};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 2; t++) {
      float[] g = {(float) gradients[t - 1][0], (float) gradients[t - 1][1]};
      net.gradients().assign(Nd4j.createFromArray(g).reshape(1, 2));
      adam.step();
      for (int i = 0; i < 2; i++) {
        double gi = g[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double vHat = v[i] / (1 - Math.pow(0.999, t));
        p[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
      }
      float[] params = net.parametersToArray();
      assertEquals(p[0], params[0], 1e-6, "step " + t);
      assertEquals(p[1], params[1], 1e-6, "step " + t);
    }
    assertEquals(2, adam.steps());
    assertArrayEquals(new float[] {(float) m[0], (float) m[1]}, adam.firstMomentToArray(), 1e-7f);
  }

  @Test
  void stepAndUpdateTarget_equalsStepThenPolyak_bitForBit() {
    Network a = Network.mlp(3, List.of(16, 8), 2, Activation.RELU, Activation.TANH);
    Network b = Network.mlp(3, List.of(16, 8), 2, Activation.RELU, Activation.TANH);
    a.initialize(new Random(1));
    b.initialize(new Random(1));
    Network targetA = a.newTarget();
    Network targetB = b.newTarget();
    Adam adamA = new Adam(a, 1e-3);
    Adam adamB = new Adam(b, 1e-3);
    Random data = new Random(2);
    for (int step = 0; step < 5; step++) {
      float[] x = ReferenceNet.randomMatrix(data, 10, 3);
      float[] dOut = ReferenceNet.randomMatrix(data, 10, 2);
      a.forward(x, 10);
      a.backward(dOut);
      adamA.stepAndUpdateTarget(0.005);
      b.forward(x, 10);
      b.backward(dOut);
      adamB.step();
      targetB.polyakUpdate(b, 0.005);
    }
    assertArrayEquals(b.parametersToArray(), a.parametersToArray());
    assertArrayEquals(targetB.parametersToArray(), targetA.parametersToArray());
    assertArrayEquals(adamB.secondMomentToArray(), adamA.secondMomentToArray());
  }

  @Test
  void oneOptimiserPerNetwork_andNoneForTargets() {
    Network net = scalarLayer(0f, 0f);
    new Adam(net, 1e-3);
    assertThrows(IllegalStateException.class, () -> new Adam(net, 1e-3));
    assertThrows(IllegalStateException.class, () -> new Adam(net.newTarget(), 1e-3));
    Network lonely = scalarLayer(0f, 0f);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Adam(lonely, 1e-3).stepAndUpdateTarget(0.1));
    assertEquals("the network has no target (Network.newTarget)", e.getMessage());
  }
}
