package io.gymlink.vector;

import io.gymlink.env.StepResult;
import java.util.Map;

/**
 * One sub-environment's answer, waiting to be returned by {@link RemoteVectorEnv#recv}: a row of a
 * {@link VectorStepResult}.
 *
 * @param envId the sub-environment
 * @param observation the observation to act on next (the new episode's first one after an end)
 * @param reward the step's reward (0 for an interrupted row)
 * @param terminated whether the episode reached a terminal state
 * @param truncated whether the episode was cut short (time limit, or the sub-environment was lost)
 * @param finalObservation the ended episode's true final observation, or null
 * @param interrupted whether the step was lost with its sub-environment (no transition)
 * @param info the step's info
 */
record Row(int envId, float[] observation, double reward, boolean terminated, boolean truncated,
    float[] finalObservation, boolean interrupted, Map<String, Object> info) {

  /** The row of a step; an ended episode's observation is its true final one (the next one comes later). */
  static Row of(int envId, StepResult step) {
    float[] observation = step.observation().asBox().data();
    return new Row(envId, observation, step.reward(), step.terminated(), step.truncated(),
        step.episodeOver() ? observation : null, false, step.info());
  }

  /** The row of a sub-environment whose episode was lost: truncated, no transition, a new first observation. */
  static Row interrupted(int envId, float[] firstObservation, String reason) {
    return new Row(envId, firstObservation, 0.0, false, true, null, true, Map.of("interrupted", reason));
  }

  /** This ended row with the first observation of the next episode (from a re-made or moved instance). */
  Row withObservation(float[] next) {
    return new Row(envId, next, reward, terminated, truncated, finalObservation, interrupted, info);
  }
}
