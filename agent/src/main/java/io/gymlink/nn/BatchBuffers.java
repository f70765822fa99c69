package io.gymlink.nn;

import java.util.Arrays;

/**
 * A network's memory for one batch size: an {@link OffHeapArena} holding the input and every layer's output (each
 * with a trailing column of ones for the next layer's bias), the deltas one region further at the same offsets when
 * the network trains, and the heap arrays through which outputs and output gradients cross to the caller.
 */
final class BatchBuffers {
  private final int rows;
  private final OffHeapArena arena;
  private final Matrix input;
  private final float[] outputs;
  private final float[] outputDeltas;
  private Matrix inputGradient;

  /** Buffers for {@code rows} rows through a network of {@code sizes}, bound to its {@code layers}. */
  BatchBuffers(int[] sizes, DenseLayer[] layers, int rows, boolean withDeltas) {
    if (rows < 1) {
      throw new IllegalArgumentException("a batch needs at least one row, got " + rows);
    }
    long floats = (long) rows * (sizes[0] + 1);
    for (int l = 0; l < layers.length; l++) {
      floats += (long) rows * ld(sizes, layers, l);
    }
    OffHeapArena.checkFits("activations of a " + rows + "-row batch through " + Arrays.toString(sizes), floats);
    int regions = withDeltas ? 2 : 1;
    this.rows = rows;
    this.arena = new OffHeapArena(regions);
    for (int r = 0; r < regions; r++) {
      arena.zero(r, 0, floats);
    }
    this.input = Matrix.in(arena, 0, 0, rows, sizes[0] + 1, sizes[0] + 1);
    OffHeapKernels.fillColumn(input.address(), rows, input.ld(), sizes[0], 1f);
    Matrix in = input;
    long offset = (long) rows * (sizes[0] + 1);
    for (int l = 0; l < layers.length; l++) {
      int width = sizes[l + 1];
      int ld = ld(sizes, layers, l);
      Matrix full = Matrix.in(arena, 0, offset, rows, ld, ld);
      if (ld > width) {
        OffHeapKernels.fillColumn(full.address(), rows, ld, width, 1f);
      }
      layers[l].bind(in, full.firstColumns(width), withDeltas);
      in = full;
      offset += (long) rows * ld;
    }
    int outputSize = sizes[sizes.length - 1];
    this.outputs = new float[rows * outputSize];
    this.outputDeltas = new float[rows * outputSize];
  }

  /** Row distance of layer {@code l}'s output: one more than its width for hidden layers (the ones column). */
  private static int ld(int[] sizes, DenseLayer[] layers, int l) {
    return l == layers.length - 1 ? sizes[l + 1] : sizes[l + 1] + 1;
  }

  int rows() {
    return rows;
  }

  /** The input, rows x (inputSize + 1), its last column ones. */
  Matrix input() {
    return input;
  }

  /** The outputs of the last forward pass, on the heap. */
  float[] outputs() {
    return outputs;
  }

  /** Scratch for the output layer's deltas on their way in. */
  float[] outputDeltas() {
    return outputDeltas;
  }

  /**
   * Where the gradient with respect to {@code count} input columns goes: the input's slot in the delta region,
   * which nothing else uses (the input has no deltas of its own).
   */
  Matrix inputGradient(int count) {
    if (inputGradient == null || inputGradient.cols() != count) {
      inputGradient = Matrix.in(arena, 1, 0, rows, count, count);
    }
    return inputGradient;
  }
}
