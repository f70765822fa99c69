package io.gymlink.env.spaces;

/** An element of a {@link DiscreteSpace}. */
public record DiscreteValue(long value) implements SpaceValue {}
