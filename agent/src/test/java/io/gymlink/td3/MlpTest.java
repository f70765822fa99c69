package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class MlpTest {
  private static final int ROWS = 7;
  private static final int[] SIZES = {5, 6, 4, 3};

  @Test
  void forward_matchesDoublePrecisionReference() {
    for (Activation hidden : Activation.values()) {
      Mlp net = new Mlp(SIZES, hidden, Activation.TANH);
      net.initialize(new Random(1));
      float[] x = randomMatrix(new Random(2), ROWS, SIZES[0]);
      float[] out = net.forward(x, ROWS).clone();
      for (int r = 0; r < ROWS; r++) {
        double[] expected = ReferenceNet.forward(ReferenceNet.widen(net.params()), SIZES, hidden, Activation.TANH,
            ReferenceNet.row(x, r, SIZES[0]));
        for (int j = 0; j < 3; j++) {
          assertEquals(expected[j], out[r * 3 + j], 1e-5, hidden + " row " + r + " output " + j);
        }
      }
    }
  }

  @Test
  void backward_parameterAndInputGradients_matchFiniteDifferences() {
    for (Activation hidden : new Activation[] {Activation.TANH, Activation.RELU}) {
      Mlp net = new Mlp(SIZES, hidden, Activation.IDENTITY);
      net.initialize(new Random(3));
      Random random = new Random(4);
      float[] x = randomMatrix(random, ROWS, SIZES[0]);
      float[] lossWeights = randomMatrix(random, ROWS, 3);
      // loss = sum_rj w_rj * out_rj, so dLoss/dOut = w.
      net.forward(x, ROWS);
      float[] inputGrad = new float[ROWS * 2];
      net.backward(lossWeights, true, 2, 2, inputGrad);
      double[] params = ReferenceNet.widen(net.params());
      double[] xs = ReferenceNet.widen(x);
      ToDoubleFunction<double[]> lossOfParams = p -> loss(p, xs, lossWeights, hidden);
      for (int i = 0; i < params.length; i++) {
        double numeric = centralDifference(lossOfParams, params, i);
        assertEquals(numeric, net.grads()[i], 1e-4 + 1e-3 * Math.abs(numeric), hidden + " parameter " + i);
      }
      ToDoubleFunction<double[]> lossOfInput = in -> loss(params, in, lossWeights, hidden);
      for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < 2; c++) {
          double numeric = centralDifference(lossOfInput, xs, r * SIZES[0] + 2 + c);
          assertEquals(numeric, inputGrad[r * 2 + c], 1e-4 + 1e-3 * Math.abs(numeric), "input " + r + "," + c);
        }
      }
    }
  }

  @Test
  void forwardSingle_equalsBatchedForward() {
    Mlp net = new Mlp(new int[] {3, 64, 64, 2}, Activation.RELU, Activation.TANH);
    net.initialize(new Random(5));
    float[] x = randomMatrix(new Random(6), 32, 3);
    float[] batched = net.forward(x, 32).clone();
    float[] single = new float[2];
    for (int r = 0; r < 32; r++) {
      net.forwardSingle(new float[] {x[3 * r], x[3 * r + 1], x[3 * r + 2]}, single);
      assertEquals(batched[2 * r], single[0], 1e-5);
      assertEquals(batched[2 * r + 1], single[1], 1e-5);
    }
  }

  @Test
  void constructor_withoutHiddenWidths_refusesWithSizes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Mlp(new int[] {3}, Activation.RELU, Activation.TANH));
    assertTrue(e.getMessage().contains("[3]"), e.getMessage());
  }

  private static double loss(double[] params, double[] x, float[] lossWeights, Activation hidden) {
    double sum = 0;
    for (int r = 0; r < ROWS; r++) {
      double[] row = new double[SIZES[0]];
      System.arraycopy(x, r * SIZES[0], row, 0, SIZES[0]);
      double[] out = ReferenceNet.forward(params, SIZES, hidden, Activation.IDENTITY, row);
      for (int j = 0; j < out.length; j++) {
        sum += lossWeights[r * 3 + j] * out[j];
      }
    }
    return sum;
  }

  static double centralDifference(ToDoubleFunction<double[]> f, double[] at, int index) {
    double h = 1e-6;
    double saved = at[index];
    at[index] = saved + h;
    double plus = f.applyAsDouble(at);
    at[index] = saved - h;
    double minus = f.applyAsDouble(at);
    at[index] = saved;
    return (plus - minus) / (2 * h);
  }

  static float[] randomMatrix(Random random, int rows, int cols) {
    float[] m = new float[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (2 * random.nextDouble() - 1);
    }
    return m;
  }
}
