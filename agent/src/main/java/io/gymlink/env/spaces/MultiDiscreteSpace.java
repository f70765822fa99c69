package io.gymlink.env.spaces;

import java.util.Arrays;
import java.util.Random;

/** A tensor of integers, element i in {start[i], ..., start[i] + nvec[i] - 1}, like Gymnasium's MultiDiscrete. */
public record MultiDiscreteSpace(long[] nvec, long[] start, int[] shape, DType dtype) implements Space {

  public MultiDiscreteSpace {
    if (nvec.length != Shapes.size(shape) || start.length != nvec.length) {
      throw new IllegalArgumentException(
          "MultiDiscrete nvec " + Arrays.toString(nvec) + " and start " + Arrays.toString(start)
              + " do not fit shape " + Arrays.toString(shape));
    }
    for (int i = 0; i < nvec.length; i++) {
      if (nvec[i] < 1) {
        throw new IllegalArgumentException("MultiDiscrete nvec[" + i + "] must be at least 1, got " + nvec[i]);
      }
    }
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof MultiDiscreteValue md)) {
      return "is " + BoxSpace.kind(value) + ", expected a MultiDiscrete value of shape " + Shapes.describe(shape);
    }
    String shapeProblem = Shapes.checkShape(md.shape(), shape);
    if (shapeProblem != null) {
      return shapeProblem;
    }
    long[] data = md.data();
    for (int i = 0; i < data.length; i++) {
      if (data[i] < start[i] || data[i] >= start[i] + nvec[i]) {
        return "has " + data[i] + " at index " + i + ", expected an integer in [" + start[i] + ", "
            + (start[i] + nvec[i] - 1) + "]";
      }
    }
    return null;
  }

  @Override
  public MultiDiscreteValue sample(Random random) {
    long[] data = new long[nvec.length];
    for (int i = 0; i < data.length; i++) {
      data[i] = start[i] + random.nextLong(nvec[i]);
    }
    return new MultiDiscreteValue(data, shape.clone());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MultiDiscreteSpace that
        && Arrays.equals(nvec, that.nvec)
        && Arrays.equals(start, that.start)
        && Arrays.equals(shape, that.shape)
        && dtype == that.dtype;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(nvec);
  }

  @Override
  public String toString() {
    return "MultiDiscrete(" + Arrays.toString(nvec) + ")";
  }
}
