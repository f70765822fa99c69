package io.gymlink.env;

import io.gymlink.env.spaces.SpaceValue;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of {@link Env#reset}: the first observation of an episode and the reset info.
 *
 * @param observation the initial observation
 * @param info auxiliary diagnostics, JSON-like values as in {@link StepResult#info()}
 */
public record ResetResult(SpaceValue observation, Map<String, Object> info) {

  public ResetResult {
    Objects.requireNonNull(observation, "observation");
    info = info == null ? Map.of() : info;
  }
}
