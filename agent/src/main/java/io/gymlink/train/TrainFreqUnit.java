package io.gymlink.train;

import java.util.Locale;

/**
 * What {@code trainFreq} counts (SB3's {@code TrainFrequencyUnit}): vector steps, or ended episodes. rl-zoo writes
 * the pair as {@code train_freq: [1, "episode"]}; gymlink as {@code trainFreq: 1, trainFreqUnit: episode}.
 */
public enum TrainFreqUnit {
  /** A training phase every {@code trainFreq} vector steps (with one env: environment steps). */
  STEP,
  /**
   * A training phase once {@code trainFreq} episodes ended (across all envs) since the last one, with
   * {@code gradientSteps -1} making one gradient step per transition the phase collected; the policy stays fixed
   * during an episode. Synchronous collection only.
   */
  EPISODE;

  /** Accepts SB3's spellings ("step", "episode") as well as the enum names. */
  public static String canonicalName(String unit) {
    return unit.trim().toUpperCase(Locale.ROOT);
  }
}
