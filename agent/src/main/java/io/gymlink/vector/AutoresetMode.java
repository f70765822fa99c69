package io.gymlink.vector;

/**
 * What a vector env does when a sub-environment's episode ends (Gymnasium 1.x {@code AutoresetMode}).
 *
 * <p>gymlink's vector envs use {@link #SAME_STEP}: the step that ends an episode resets the sub-environment at once,
 * returns the new episode's first observation in {@code observations}, and keeps the ended episode's true final
 * observation in {@link VectorStepResult#finalObservations()} (SB3's {@code terminal_observation}), so that an
 * off-policy learner stores the real transition and the next action is taken on the new episode.
 */
public enum AutoresetMode {
  /** Reset in the step that ended the episode; the final observation travels beside the new first one. */
  SAME_STEP
}
