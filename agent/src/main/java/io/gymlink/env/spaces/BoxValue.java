package io.gymlink.env.spaces;

import java.util.Arrays;

/**
 * An element of a {@link BoxSpace}: a float array with a shape, row-major.
 *
 * <p>Integer-typed boxes (e.g. uint8 images) are carried as floats too; the codec converts to the space's dtype on
 * the wire. The array is not copied: callers that keep a value must not mutate it.
 */
public record BoxValue(float[] data, int[] shape) implements SpaceValue {

  public BoxValue {
    if (data.length != Shapes.size(shape)) {
      throw new IllegalArgumentException(
          "BoxValue data has " + data.length + " elements, shape " + Arrays.toString(shape) + " needs "
              + Shapes.size(shape));
    }
  }

  /** A rank-1 value. */
  public static BoxValue of(float... data) {
    return new BoxValue(data, new int[] {data.length});
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BoxValue that && Arrays.equals(data, that.data) && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "BoxValue" + Arrays.toString(shape) + Arrays.toString(data);
  }
}
