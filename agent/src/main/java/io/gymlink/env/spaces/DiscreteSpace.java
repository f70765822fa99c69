package io.gymlink.env.spaces;

import java.util.Random;

/** The integers {start, ..., start + n - 1}, like {@code gymnasium.spaces.Discrete}. */
public record DiscreteSpace(long n, long start) implements Space {

  public DiscreteSpace {
    if (n < 1) {
      throw new IllegalArgumentException("Discrete n must be at least 1, got " + n);
    }
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof DiscreteValue discrete)) {
      return "is " + BoxSpace.kind(value) + ", expected a Discrete value in [" + start + ", " + (start + n - 1) + "]";
    }
    long v = discrete.value();
    return v >= start && v < start + n
        ? null
        : "is " + v + ", expected an integer in [" + start + ", " + (start + n - 1) + "]";
  }

  @Override
  public DiscreteValue sample(Random random) {
    // nextLong(bound) is exactly uniform; scaling nextDouble() is not once n nears 2^53.
    return new DiscreteValue(start + random.nextLong(n));
  }

  @Override
  public String toString() {
    return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
  }
}
