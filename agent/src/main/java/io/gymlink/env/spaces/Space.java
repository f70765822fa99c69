package io.gymlink.env.spaces;

import java.util.Random;

/** A Gymnasium space: the set that observations or actions belong to. */
public sealed interface Space
    permits BoxSpace, DiscreteSpace, MultiDiscreteSpace, MultiBinarySpace, TupleSpace, DictSpace {

  /**
   * Explains why a value is not in this space.
   *
   * @return {@code null} when the value is in the space, otherwise a phrase such as {@code "has shape [3], expected
   *     [1]"} that completes a sentence starting with the value's name (e.g. "action for 'Pendulum-v1' ")
   */
  String check(SpaceValue value);

  /** Whether the value is an element of this space. */
  default boolean contains(SpaceValue value) {
    return check(value) == null;
  }

  /** Draws an element uniformly (or as Gymnasium does for unbounded boxes), using only {@code random}. */
  SpaceValue sample(Random random);
}
