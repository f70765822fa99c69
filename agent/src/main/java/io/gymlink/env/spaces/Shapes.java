package io.gymlink.env.spaces;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor-like spaces. */
final class Shapes {

  private Shapes() {}

  static int size(int[] shape) {
    int size = 1;
    for (int dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      size = Math.multiplyExact(size, dim);
    }
    return size;
  }

  static String describe(int[] shape) {
    return Arrays.toString(shape);
  }

  /** A length check for values: "has shape [3], expected [1]" or null. */
  static String checkShape(int[] actual, int[] expected) {
    return Arrays.equals(actual, expected)
        ? null
        : "has shape " + describe(actual) + ", expected " + describe(expected);
  }
}
