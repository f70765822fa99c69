package io.gymlink.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class NetworkTest {
  private static final int ROWS = 7;
  private static final int[] SIZES = {5, 6, 4, 3};

  private static Network network(Activation hidden, Activation output, long seed) {
    Network net = Network.mlp(SIZES[0], List.of(SIZES[1], SIZES[2]), SIZES[3], hidden, output);
    net.initialize(new Random(seed));
    return net;
  }

  @Test
  void forward_matchesDoublePrecisionReference() {
    for (Activation hidden : Activation.values()) {
      Network net = network(hidden, Activation.TANH, 1);
      float[] x = ReferenceNet.randomMatrix(new Random(2), ROWS, SIZES[0]);
      float[] out = net.forward(x, ROWS).clone();
      double[] params = ReferenceNet.widen(net.parametersToArray());
      for (int r = 0; r < ROWS; r++) {
        double[] expected = ReferenceNet.forward(params, SIZES, hidden, Activation.TANH, ReferenceNet.row(x, r,
            SIZES[0]));
        for (int j = 0; j < 3; j++) {
          assertEquals(expected[j], out[r * 3 + j], 1e-5, hidden + " row " + r + " output " + j);
        }
      }
    }
  }

  @Test
  void backward_parameterAndInputGradients_matchFiniteDifferences() {
    for (Activation hidden : new Activation[] {Activation.TANH, Activation.RELU}) {
      for (Activation output : new Activation[] {Activation.IDENTITY, Activation.TANH}) {
        Network net = network(hidden, output, 3);
        Random random = new Random(4);
        float[] x = ReferenceNet.randomMatrix(random, ROWS, SIZES[0]);
        float[] lossWeights = ReferenceNet.randomMatrix(random, ROWS, 3);
        // loss = sum_rj w_rj * out_rj, so dLoss/dOut = w.
        net.forward(x, ROWS);
        net.backward(lossWeights);
        float[] grads = net.gradients().toFloatVector();
        float[] inputGrad = new float[ROWS * 2];
        net.inputGradient(lossWeights, new Columns(2, 2), inputGrad);
        double[] params = ReferenceNet.widen(net.parametersToArray());
        double[] xs = ReferenceNet.widen(x);
        ToDoubleFunction<double[]> lossOfParams = p -> loss(p, xs, lossWeights, hidden, output);
        String what = hidden + "/" + output;
        for (int i = 0; i < params.length; i++) {
          double numeric = ReferenceNet.centralDifference(lossOfParams, params, i);
          assertEquals(numeric, grads[i], 1e-4 + 1e-3 * Math.abs(numeric), what + " parameter " + i);
        }
        ToDoubleFunction<double[]> lossOfInput = in -> loss(params, in, lossWeights, hidden, output);
        for (int r = 0; r < ROWS; r++) {
          for (int c = 0; c < 2; c++) {
            double numeric = ReferenceNet.centralDifference(lossOfInput, xs, r * SIZES[0] + 2 + c);
            assertEquals(numeric, inputGrad[r * 2 + c], 1e-4 + 1e-3 * Math.abs(numeric),
                what + " input " + r + "," + c);
          }
        }
      }
    }
  }

  @Test
  void inputGradient_leavesParameterGradientsAlone() {
    Network net = network(Activation.RELU, Activation.IDENTITY, 5);
    float[] x = ReferenceNet.randomMatrix(new Random(6), ROWS, SIZES[0]);
    net.forward(x, ROWS);
    net.backward(ReferenceNet.randomMatrix(new Random(7), ROWS, 3));
    float[] before = net.gradients().toFloatVector();
    net.forward(ReferenceNet.randomMatrix(new Random(8), ROWS, SIZES[0]), ROWS);
    net.inputGradient(ReferenceNet.randomMatrix(new Random(9), ROWS, 3), new Columns(0, 5), new float[ROWS * 5]);
    assertArrayEquals(before, net.gradients().toFloatVector());
  }

  @Test
  void snapshot_equalsBatchedForward_andLagsUntilRefreshed() {
    Network net = Network.mlp(3, List.of(64, 64), 2, Activation.RELU, Activation.TANH);
    net.initialize(new Random(5));
    float[] x = ReferenceNet.randomMatrix(new Random(6), 32, 3);
    float[] batched = net.forward(x, 32).clone();
    NetworkSnapshot snapshot = NetworkSnapshot.of(net);
    float[] single = new float[2];
    for (int r = 0; r < 32; r++) {
      snapshot.forward(Arrays.copyOfRange(x, 3 * r, 3 * r + 3), single);
      assertEquals(batched[2 * r], single[0], 1e-5);
      assertEquals(batched[2 * r + 1], single[1], 1e-5);
    }
    float[] row = {0.1f, -0.4f, 0.7f};
    float[] before = new float[2];
    snapshot.forward(row, before);
    Adam adam = new Adam(net, 0.01);
    net.forward(x, 32);
    net.backward(ReferenceNet.randomMatrix(new Random(7), 32, 2));
    adam.step();
    float[] after = new float[2];
    snapshot.forward(row, after);
    assertArrayEquals(before, after, "a snapshot does not follow the network by itself");
    snapshot.refreshFrom(net);
    snapshot.forward(row, after);
    assertFalse(Arrays.equals(before, after), "refresh takes the new parameters");
  }

  @Test
  void target_startsEqual_andPolyakMovesItTauOfTheWay() {
    Network net = network(Activation.RELU, Activation.IDENTITY, 11);
    Network target = net.newTarget();
    assertArrayEquals(net.parametersToArray(), target.parametersToArray());
    float[] targetBefore = target.parametersToArray();
    Network other = network(Activation.RELU, Activation.IDENTITY, 12);
    net.setParameters(other.parametersToArray());
    target.polyakUpdate(net, 0.25);
    float[] source = net.parametersToArray();
    float[] moved = target.parametersToArray();
    for (int i = 0; i < moved.length; i++) {
      assertEquals(targetBefore[i] * 0.75f + 0.25f * source[i], moved[i], 0f, "parameter " + i);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> target.polyakUpdate(other, 0.1));
    assertTrue(e.getMessage().contains("newTarget"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> target.backward(new float[ROWS * 3]));
  }

  @Test
  void targetForward_usesTheTargetsParameters() {
    Network net = network(Activation.TANH, Activation.IDENTITY, 13);
    Network target = net.newTarget();
    float[] x = ReferenceNet.randomMatrix(new Random(14), ROWS, SIZES[0]);
    float[] before = net.forward(x, ROWS).clone();
    net.setParameters(network(Activation.TANH, Activation.IDENTITY, 15).parametersToArray());
    assertArrayEquals(before, target.forward(x, ROWS));
  }

  @Test
  void forward_newBatchSize_works() {
    Network net = network(Activation.RELU, Activation.TANH, 16);
    float[] x = ReferenceNet.randomMatrix(new Random(17), 9, SIZES[0]);
    float[] nine = net.forward(x, 9).clone();
    float[] two = net.forward(Arrays.copyOf(x, 2 * SIZES[0]), 2);
    assertEquals(6, two.length);
    assertArrayEquals(Arrays.copyOf(nine, 6), two, 1e-6f);
  }

  @Test
  void nd4jViews_showTheFlatLayout() {
    Network net = network(Activation.RELU, Activation.TANH, 18);
    float[] flat = net.parametersToArray();
    // Layer 1 ([6 -> 4]) starts after layer 0's 5x6 weights and 6 biases.
    int offset = 5 * 6 + 6;
    assertEquals(flat[offset + 2 * 4 + 3], net.weights(1).getFloat(2, 3));
    assertEquals(flat[offset + 6 * 4 + 1], net.bias(1).getFloat(0, 1));
    net.weights(1).putScalar(2, 3, 42f);
    assertEquals(42f, net.parametersToArray()[offset + 2 * 4 + 3]);
  }

  @Test
  void setParameters_wrongLength_refusedNamingLayout() {
    Network net = network(Activation.RELU, Activation.TANH, 19);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.setParameters(new float[3]));
    assertEquals("parameters have 3 floats, expected [5x6+6, 6x4+4, 4x3+3] = 79 floats", e.getMessage());
  }

  @Test
  void mlp_nonPositiveWidth_refusedWithSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Network.mlp(3, List.of(4, 0), 1, Activation.RELU, Activation.TANH));
    assertTrue(e.getMessage().contains("[3, 4, 0, 1]"), e.getMessage());
  }

  @Test
  void arenaLimit_refusedNamingThePropertyToRaise() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OffHeapArena.checkFits("a network [3, 99999, 99999, 1]", 10_000_000_000L));
    assertTrue(e.getMessage().contains("gymlink.nn.regionFloats"), e.getMessage());
  }

  private static double loss(double[] params, double[] x, float[] lossWeights, Activation hidden,
      Activation output) {
    double sum = 0;
    for (int r = 0; r < ROWS; r++) {
      double[] row = new double[SIZES[0]];
      System.arraycopy(x, r * SIZES[0], row, 0, SIZES[0]);
      double[] out = ReferenceNet.forward(params, SIZES, hidden, output, row);
      for (int j = 0; j < out.length; j++) {
        sum += lossWeights[r * 3 + j] * out[j];
      }
    }
    return sum;
  }
}
