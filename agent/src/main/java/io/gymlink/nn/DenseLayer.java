package io.gymlink.nn;

/**
 * One fully connected layer of a {@link Network}, y = f(x W + b), on off-heap matrices.
 *
 * <p>W and b are stored together as one (in + 1) x out matrix [W; b] (W row-major, then the bias row: the flat
 * layout of the whole network, layer after layer), and the layer's input carries a column of ones after its
 * {@code in} values. So x W + b is one matrix multiply [x 1] [W; b], and the weight gradient [x 1]^T dZ holds the
 * bias gradient (the column sums of dZ) in its last row: no separate bias pass forward or backward.
 */
final class DenseLayer {
  private final int in;
  private final int out;
  private final Activation activation;
  private final Matrix weightsAndBias;
  private final Matrix weights;
  private final Matrix gradients;
  private Matrix input;
  private Matrix output;
  private Matrix deltas;

  /**
   * A layer whose [W; b] lives at {@code offset} of the parameter region of {@code parameters}, and whose gradients
   * (if {@code gradientRegion >= 0}) at the same offset of {@code gradientRegion}.
   */
  DenseLayer(int in, int out, Activation activation, OffHeapArena parameters, int parameterRegion,
      int gradientRegion, long offset) {
    this.in = in;
    this.out = out;
    this.activation = activation;
    this.weightsAndBias = Matrix.in(parameters, parameterRegion, offset, in + 1, out, out);
    this.weights = weightsAndBias.rows(0, in);
    this.gradients = gradientRegion < 0 ? null : Matrix.in(parameters, gradientRegion, offset, in + 1, out, out);
  }

  /** Floats of [W; b]. */
  static long parameterCount(int in, int out) {
    return (long) (in + 1) * out;
  }

  /**
   * Binds this layer to a batch: it reads {@code input} (rows x (in + 1), last column ones) and writes
   * {@code output} (rows x out; row distance out + 1 for a hidden layer, whose last column holds the next layer's
   * ones). With {@code withDeltas}, the deltas (gradients with respect to z) live one arena region after the
   * output, in the same shape.
   */
  void bind(Matrix input, Matrix output, boolean withDeltas) {
    if (input.cols() != in + 1 || output.cols() != out || input.rows() != output.rows()) {
      throw new IllegalArgumentException("layer " + in + "->" + out + " cannot read " + input + " into " + output);
    }
    this.input = input;
    this.output = output;
    this.deltas = withDeltas ? output.shifted(1) : null;
  }

  /** output = f([x 1] [W; b]). */
  void forward() {
    Blas.gemm(false, false, 1f, input, weightsAndBias, 0f, output);
    OffHeapKernels.activate(activation, output.address(), output.rows(), out, output.ld());
  }

  /** [dW; db] = [x 1]^T dZ, from the deltas dZ (gradient of the loss with respect to this layer's z = [x 1] [W; b]). */
  void parameterGradients() {
    Blas.gemm(true, false, 1f, input, deltas, 0f, gradients);
  }

  /**
   * dLoss/dx = dZ W^T into the previous layer's deltas (its first {@code in} columns), then through the previous
   * layer's activation, so that they become that layer's dZ.
   */
  void backpropagateInto(DenseLayer previous) {
    Blas.gemm(false, true, 1f, deltas, weights, 0f, previous.deltas);
    OffHeapKernels.backpropActivation(previous.activation, previous.output.address(), previous.output.span());
  }

  /** dLoss/dx for input columns [from, from + count) = dZ W[from..from+count)^T, into {@code into} (rows x count). */
  void inputGradient(int from, int count, Matrix into) {
    Blas.gemm(false, true, 1f, deltas, weights.rows(from, count), 0f, into);
  }

  int in() {
    return in;
  }

  int out() {
    return out;
  }

  Activation activation() {
    return activation;
  }

  Matrix output() {
    return output;
  }

  Matrix deltas() {
    return deltas;
  }
}
