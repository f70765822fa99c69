package io.gymlink.env.spaces;

import java.util.Arrays;

/** An element of a {@link MultiBinarySpace}: 0/1 bytes with a shape, row-major. */
public record MultiBinaryValue(byte[] data, int[] shape) implements SpaceValue {

  public MultiBinaryValue {
    if (data.length != Shapes.size(shape)) {
      throw new IllegalArgumentException(
          "MultiBinaryValue data has " + data.length + " elements, shape " + Arrays.toString(shape));
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MultiBinaryValue that
        && Arrays.equals(data, that.data)
        && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "MultiBinaryValue" + Arrays.toString(shape) + Arrays.toString(data);
  }
}
