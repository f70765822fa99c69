package io.gymlink.env.spaces;

import java.util.Arrays;

/** An element of a {@link MultiDiscreteSpace}: integers with a shape, row-major. */
public record MultiDiscreteValue(long[] data, int[] shape) implements SpaceValue {

  public MultiDiscreteValue {
    if (data.length != Shapes.size(shape)) {
      throw new IllegalArgumentException(
          "MultiDiscreteValue data has " + data.length + " elements, shape " + Arrays.toString(shape));
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MultiDiscreteValue that
        && Arrays.equals(data, that.data)
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "MultiDiscreteValue" + Arrays.toString(shape) + Arrays.toString(data);
  }
}
