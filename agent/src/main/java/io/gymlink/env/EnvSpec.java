package io.gymlink.env;

import java.util.List;
import java.util.Objects;

/**
 * What the server knows about a made environment (Gymnasium's {@code EnvSpec}, reduced to what an agent uses).
 *
 * @param envId the environment id, e.g. {@code Pendulum-v1}
 * @param maxEpisodeSteps time limit after which an episode is truncated, or {@code null} when there is none
 * @param rewardRangeMin smallest possible per-step reward (may be negative infinity)
 * @param rewardRangeMax largest possible per-step reward (may be positive infinity)
 * @param renderModes render modes the environment supports
 * @param rewardThreshold return at which the task counts as solved, or {@code null}
 */
public record EnvSpec(
    String envId,
    Integer maxEpisodeSteps,
    double rewardRangeMin,
    double rewardRangeMax,
    List<String> renderModes,
    Double rewardThreshold) {

  public EnvSpec {
    Objects.requireNonNull(envId, "envId");
    renderModes = renderModes == null ? List.of() : List.copyOf(renderModes);
  }
}
