package io.gymlink.td3;

import java.util.LinkedHashMap;
import java.util.Objects;

/**
 * Everything a {@link Td3} needs to continue bit-identically: network and target parameters, Adam moments
 * and the update counter (Adam's step counts follow from it: the critic steps every update, the actor every
 * {@code policyDelay}-th). The caller's {@link java.util.Random} is not included; the trainer saves it.
 *
 * @param observationDim floats per observation
 * @param actionDim floats per action
 * @param updates gradient steps taken so far
 * @param arrays named flat float arrays, in a fixed order (see {@link Td3#state()})
 */
public record LearnerState(
    int observationDim, int actionDim, long updates, LinkedHashMap<String, float[]> arrays) {

  public LearnerState {
    Objects.requireNonNull(arrays, "arrays");
    if (updates < 0) {
      throw new IllegalArgumentException("updates must be >= 0, got " + updates);
    }
  }
}
