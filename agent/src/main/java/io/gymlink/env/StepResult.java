package io.gymlink.env;

import io.gymlink.env.spaces.SpaceValue;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link Env#step}: Gymnasium's five-tuple.
 *
 * @param observation the observation after the action; on truncation the true final observation, not a reset one
 * @param reward the reward for the action
 * @param terminated a terminal state of the MDP was reached: do not bootstrap past it
 * @param truncated the episode was cut short from outside the MDP (e.g. a time limit): bootstrap through it
 * @param info auxiliary diagnostics: JSON-like values ({@code null}, Boolean, Long, Double, String, List, Map) and
 *     numpy arrays as {@link io.gymlink.env.spaces.BoxValue}
 */
public record StepResult(
    SpaceValue observation, double reward, boolean terminated, boolean truncated, Map<String, Object> info) {

  public StepResult {
    Objects.requireNonNull(observation, "observation");
    info = info == null ? Map.of() : info;
  }

  /** Whether the episode is over for either reason; the caller must reset before stepping again. */
  public boolean episodeOver() {
    return terminated || truncated;
  }
}
