package io.gymlink.vector;

import io.gymlink.env.spaces.BoxValue;
import java.util.List;
import java.util.Map;

/**
 * The answers of K sub-environments to one vector step (K = N for {@link VectorEnv#step}, K &le; N for
 * {@link VectorEnv#recv}): row k belongs to sub-environment {@code envIds[k]}.
 *
 * <p>With {@link AutoresetMode#SAME_STEP}, the row of an episode that ended has the new episode's first observation
 * in {@code observations} and the ended one's true final observation in {@code finalObservations[k]}; rows of
 * running episodes have {@code finalObservations[k] == null}.
 *
 * <p>A row with {@code interrupted[k]} true carries no transition: the sub-environment was lost (its server died or
 * stopped answering, or the env raised), so its episode ended as truncated without a last step, and it was re-made;
 * {@code observations} row k is the first observation of its new episode, its reward is 0 and
 * {@code finalObservations[k]} is null.
 *
 * @param envIds the sub-environment of each row
 * @param observations {@code [K, ...]}: the observation to act on next
 * @param rewards reward of each row's step
 * @param terminated whether each row's episode reached a terminal state
 * @param truncated whether each row's episode was cut short (time limit, or the env was lost)
 * @param finalObservations per row, the ended episode's true final observation (flat), else null
 * @param interrupted per row, whether the step was lost with its sub-environment (no transition)
 * @param infos per row, the step's info (JSON-like values)
 */
public record VectorStepResult(
    int[] envIds,
    BoxValue observations,
    double[] rewards,
    boolean[] terminated,
    boolean[] truncated,
    float[][] finalObservations,
    boolean[] interrupted,
    List<Map<String, Object>> infos) {

  public VectorStepResult {
    int k = envIds.length;
    if (observations.shape().length == 0 || observations.shape()[0] != k || rewards.length != k
        || terminated.length != k || truncated.length != k || finalObservations.length != k
        || interrupted.length != k || infos.size() != k) {
      throw new IllegalArgumentException("VectorStepResult rows disagree: " + k + " env ids, observations "
          + java.util.Arrays.toString(observations.shape()) + ", " + rewards.length + " rewards, "
          + terminated.length + " terminated, " + truncated.length + " truncated, " + finalObservations.length
          + " final observations, " + interrupted.length + " interrupted, " + infos.size() + " infos");
    }
    infos = List.copyOf(infos);
  }

  /** The number of rows, K. */
  public int size() {
    return envIds.length;
  }

  /** Whether row k's episode ended (terminated, truncated or interrupted). */
  public boolean episodeOver(int k) {
    return terminated[k] || truncated[k];
  }

  /** How many rows' episodes ended: terminated, truncated or interrupted. */
  public int episodesEnded() {
    int ended = 0;
    for (int k = 0; k < size(); k++) {
      if (episodeOver(k) || interrupted[k]) {
        ended++;
      }
    }
    return ended;
  }
}
