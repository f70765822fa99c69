package io.gymlink.env.spaces;

/** An element of a {@link Space}: an observation or an action. */
public sealed interface SpaceValue
    permits BoxValue, DiscreteValue, MultiDiscreteValue, MultiBinaryValue, TupleValue, DictValue {

  /** This value as a Box value, or an {@link IllegalStateException} naming what it is instead. */
  default BoxValue asBox() {
    if (this instanceof BoxValue box) {
      return box;
    }
    throw new IllegalStateException("expected a Box value, got " + this);
  }

  /** This value as a Discrete value, or an {@link IllegalStateException} naming what it is instead. */
  default DiscreteValue asDiscrete() {
    if (this instanceof DiscreteValue discrete) {
      return discrete;
    }
    throw new IllegalStateException("expected a Discrete value, got " + this);
  }
}
