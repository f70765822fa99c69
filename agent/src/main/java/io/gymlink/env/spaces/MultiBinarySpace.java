package io.gymlink.env.spaces;

import java.util.Arrays;
import java.util.Random;

/** A tensor of 0/1 values, like {@code gymnasium.spaces.MultiBinary}. */
public record MultiBinarySpace(int[] shape) implements Space {

  public MultiBinarySpace {
    Shapes.size(shape);
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof MultiBinaryValue mb)) {
      return "is " + BoxSpace.kind(value) + ", expected a MultiBinary value of shape " + Shapes.describe(shape);
    }
    String shapeProblem = Shapes.checkShape(mb.shape(), shape);
    if (shapeProblem != null) {
      return shapeProblem;
    }
    byte[] data = mb.data();
    for (int i = 0; i < data.length; i++) {
      if (data[i] != 0 && data[i] != 1) {
        return "has " + data[i] + " at index " + i + ", expected 0 or 1";
      }
    }
    return null;
  }

  @Override
  public MultiBinaryValue sample(Random random) {
    byte[] data = new byte[Shapes.size(shape)];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (random.nextBoolean() ? 1 : 0);
    }
    return new MultiBinaryValue(data, shape.clone());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MultiBinarySpace that && Arrays.equals(shape, that.shape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "MultiBinary(" + Arrays.toString(shape) + ")";
  }
}
