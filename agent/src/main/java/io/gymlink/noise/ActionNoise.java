package io.gymlink.noise;

/**
 * Exploration noise added to a deterministic policy's action (SB3's {@code ActionNoise}).
 *
 * <p>Noise is drawn in the policy's scaled action space [-1, 1]^n, so {@code sigma} is a fraction of each action
 * dimension's half-range, as in SB3 and rl-zoo. Implementations take their {@link java.util.Random} in the
 * constructor and use nothing else.
 */
public interface ActionNoise {

  /** The next noise vector; the returned array is fresh and owned by the caller. */
  float[] sample();

  /** Starts a new episode: temporally correlated noise forgets its past. */
  void reset();
}
