package io.gymlink.td3;

import java.util.Arrays;
import java.util.Random;

/**
 * A fully connected network with one flat parameter vector and hand-written backprop, sized once for a batch so
 * that a training step allocates nothing.
 *
 * <p>Layer l computes A_l = f_l(A_{l-1} W_l + b_l) with W_l stored row-major as [in, out] inside the flat vector
 * (W_0, b_0, W_1, b_1, ...). The heap array {@link #params()} is the master copy (the optimiser and Polyak
 * averaging work on it); {@link #paramsChanged()} pushes it to the off-heap copy that BLAS reads. Gradients come
 * back the other way into {@link #grads()}. Not thread-safe.
 */
final class Mlp {
  private final int[] sizes;
  private final Activation hidden;
  private final Activation output;
  private final int[] weightOffset;
  private final int[] biasOffset;
  private final float[] params;
  private final float[] grads;
  private final NativeMatrix nativeParams;
  private final NativeMatrix nativeGrads;
  private final NativeMatrix[] weights;
  private final NativeMatrix[] weightGrads;
  private final float[][] single;

  private int batch = -1;
  private NativeMatrix ones;
  private NativeMatrix[] biasGrads;
  private float[][] biasRows;
  private NativeMatrix input;
  private NativeMatrix[] outputs;
  private float[][] outputsHeap;
  private NativeMatrix[] deltas;
  private float[][] deltasHeap;
  private NativeMatrix inputGrad;
  private NativeMatrix inputGradWeights;
  private int inputGradFrom = -1;

  /**
   * A network with layer widths {@code sizes} (input first, output last), activation {@code hidden} after every
   * hidden layer and {@code output} after the last one; parameters are zero until {@link #initialize}.
   */
  Mlp(int[] sizes, Activation hidden, Activation output) {
    if (sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("layer sizes must be at least two positive widths, got "
          + Arrays.toString(sizes));
    }
    this.sizes = sizes.clone();
    this.hidden = hidden;
    this.output = output;
    int layers = sizes.length - 1;
    weightOffset = new int[layers];
    biasOffset = new int[layers];
    long total = 0;
    for (int l = 0; l < layers; l++) {
      weightOffset[l] = Math.toIntExact(total);
      total += (long) sizes[l] * sizes[l + 1];
      biasOffset[l] = Math.toIntExact(total);
      total += sizes[l + 1];
    }
    int count = Math.toIntExact(total);
    params = new float[count];
    grads = new float[count];
    nativeParams = NativeMatrix.allocate(1, count);
    nativeGrads = NativeMatrix.allocate(1, count);
    weights = new NativeMatrix[layers];
    weightGrads = new NativeMatrix[layers];
    single = new float[layers][];
    for (int l = 0; l < layers; l++) {
      weights[l] = nativeParams.view(weightOffset[l], sizes[l], sizes[l + 1]);
      weightGrads[l] = nativeGrads.view(weightOffset[l], sizes[l], sizes[l + 1]);
      single[l] = new float[sizes[l + 1]];
    }
  }

  /** PyTorch's nn.Linear default: weights and biases uniform in ±1/sqrt(fan_in), drawn layer by layer. */
  void initialize(Random random) {
    for (int l = 0; l < weights.length; l++) {
      double bound = 1.0 / Math.sqrt(sizes[l]);
      for (int i = weightOffset[l]; i < biasOffset[l] + sizes[l + 1]; i++) {
        params[i] = (float) ((2 * random.nextDouble() - 1) * bound);
      }
    }
    paramsChanged();
  }

  /** The master parameters; call {@link #paramsChanged()} after writing them. */
  float[] params() {
    return params;
  }

  /** Gradients of the last {@link #backward} with parameter gradients on. */
  float[] grads() {
    return grads;
  }

  int inputSize() {
    return sizes[0];
  }

  int outputSize() {
    return sizes[sizes.length - 1];
  }

  int[] sizes() {
    return sizes.clone();
  }

  /** Human-readable parameter layout, e.g. "[3x256+256, 256x1+1] = 1281 floats", for error messages. */
  String describeLayout() {
    StringBuilder s = new StringBuilder("[");
    for (int l = 0; l < weights.length; l++) {
      s.append(l == 0 ? "" : ", ").append(sizes[l]).append('x').append(sizes[l + 1]).append('+')
          .append(sizes[l + 1]);
    }
    return s.append("] = ").append(params.length).append(" floats").toString();
  }

  /** Pushes the heap parameters to the copy BLAS reads (and to the per-row bias copies of the batch path). */
  void paramsChanged() {
    nativeParams.copyFrom(params);
    if (biasRows != null) {
      replicateBiases();
    }
  }

  private void replicateBiases() {
    for (int l = 0; l < weights.length; l++) {
      int n = sizes[l + 1];
      for (int r = 0; r < batch; r++) {
        System.arraycopy(params, biasOffset[l], biasRows[l], r * n, n);
      }
    }
  }

  /**
   * Forward pass of {@code rows} inputs (row-major [rows, inputSize]); returns the output [rows, outputSize] as a
   * heap array owned by this network and valid until the next forward pass. Keeps what {@link #backward} needs.
   */
  float[] forward(float[] x, int rows) {
    ensureBatch(rows);
    input.copyFrom(x, 0, 0, rows * sizes[0]);
    NativeMatrix in = input;
    int last = weights.length - 1;
    for (int l = 0; l <= last; l++) {
      Blas.gemm(false, false, 1f, in, weights[l], 0f, outputs[l]);
      float[] heap = outputsHeap[l];
      outputs[l].copyTo(heap);
      (l == last ? output : hidden).addBiasAndApply(heap, biasRows[l], rows * sizes[l + 1]);
      if (l < last) {
        outputs[l].copyFrom(heap);
      }
      in = outputs[l];
    }
    return outputsHeap[last];
  }

  /**
   * Backward pass from {@code dOutput} = dLoss/dOutput ([rows, outputSize]) of the last forward pass. With
   * {@code paramGrads} it fills {@link #grads()}; with {@code inputGradCount > 0} it writes dLoss/dInput for input
   * columns [inputGradFrom, inputGradFrom + inputGradCount) into {@code inputGradOut} ([rows, inputGradCount]).
   */
  void backward(float[] dOutput, boolean paramGrads, int inputGradFrom, int inputGradCount, float[] inputGradOut) {
    int rows = batch;
    int last = weights.length - 1;
    float[] delta = deltasHeap[last];
    System.arraycopy(dOutput, 0, delta, 0, rows * sizes[last + 1]);
    for (int l = last; l >= 0; l--) {
      int width = sizes[l + 1];
      delta = deltasHeap[l];
      if (l < last) {
        deltas[l].copyTo(delta);
      }
      (l == last ? output : hidden).backpropInPlace(delta, outputsHeap[l], rows * width);
      deltas[l].copyFrom(delta);
      if (paramGrads) {
        Blas.gemm(true, false, 1f, l == 0 ? input : outputs[l - 1], deltas[l], 0f, weightGrads[l]);
        // Bias gradient = column sums of dZ = ones^T dZ, in BLAS rather than a strided Java loop.
        Blas.gemm(true, false, 1f, ones, deltas[l], 0f, biasGrads[l]);
      }
      if (l > 0) {
        Blas.gemm(false, true, 1f, deltas[l], weights[l], 0f, deltas[l - 1]);
      }
    }
    if (paramGrads) {
      nativeGrads.copyTo(grads);
    }
    if (inputGradCount > 0) {
      inputGrad(inputGradFrom, inputGradCount, inputGradOut);
    }
  }

  private void inputGrad(int from, int count, float[] out) {
    if (from < 0 || from + count > sizes[0]) {
      throw new IllegalArgumentException(
          "input columns [" + from + ", " + (from + count) + ") are outside an input of width " + sizes[0]);
    }
    if (inputGrad == null || inputGradFrom != from || inputGrad.cols() != count) {
      // Only W_0's rows for the requested columns: dX[:, cols] = dZ_0 W_0[cols, :]^T.
      inputGradWeights = weights[0].view((long) from * sizes[1], count, sizes[1]);
      inputGrad = NativeMatrix.allocate(batch, count);
      inputGradFrom = from;
    }
    Blas.gemm(false, true, 1f, deltas[0], inputGradWeights, 0f, inputGrad);
    inputGrad.copyTo(out);
  }

  /**
   * Forward pass of one input in plain Java (no native call): ~20 µs instead of ~120 µs through ND4J for a
   * single observation. Writes the output into {@code out}.
   */
  void forwardSingle(float[] x, float[] out) {
    float[] in = x;
    int last = weights.length - 1;
    for (int l = 0; l <= last; l++) {
      int n = sizes[l + 1];
      float[] y = l == last ? out : single[l];
      System.arraycopy(params, biasOffset[l], y, 0, n);
      int w = weightOffset[l];
      for (int i = 0; i < sizes[l]; i++) {
        float xi = in[i];
        int row = w + i * n;
        for (int j = 0; j < n; j++) {
          y[j] += xi * params[row + j];
        }
      }
      Activation f = l == last ? output : hidden;
      for (int j = 0; j < n; j++) {
        y[j] = f.apply(y[j]);
      }
      in = y;
    }
  }

  private void ensureBatch(int rows) {
    if (rows == batch) {
      return;
    }
    if (rows < 1) {
      throw new IllegalArgumentException("batch must have at least one row, got " + rows);
    }
    int layers = weights.length;
    ones = NativeMatrix.allocate(rows, 1);
    float[] oneValues = new float[rows];
    Arrays.fill(oneValues, 1f);
    ones.copyFrom(oneValues);
    biasGrads = new NativeMatrix[layers];
    biasRows = new float[layers][];
    input = NativeMatrix.allocate(rows, sizes[0]);
    outputs = new NativeMatrix[layers];
    outputsHeap = new float[layers][];
    deltas = new NativeMatrix[layers];
    deltasHeap = new float[layers][];
    for (int l = 0; l < layers; l++) {
      outputs[l] = NativeMatrix.allocate(rows, sizes[l + 1]);
      outputsHeap[l] = new float[rows * sizes[l + 1]];
      deltas[l] = NativeMatrix.allocate(rows, sizes[l + 1]);
      deltasHeap[l] = new float[rows * sizes[l + 1]];
      biasGrads[l] = nativeGrads.view(biasOffset[l], 1, sizes[l + 1]);
      biasRows[l] = new float[rows * sizes[l + 1]];
    }
    inputGrad = null;
    batch = rows;
    replicateBiases();
  }
}
