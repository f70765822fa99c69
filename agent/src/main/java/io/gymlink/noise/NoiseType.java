package io.gymlink.noise;

import java.util.Locale;

/** Kinds of exploration noise a training run can add to the actor's action. */
public enum NoiseType {
  NONE,
  /** Gaussian noise, SB3's {@code NormalActionNoise}. */
  NORMAL,
  /** Temporally correlated noise, SB3's {@code OrnsteinUhlenbeckActionNoise}. */
  ORNSTEIN_UHLENBECK;

  /** Accepts rl-zoo's spellings ("normal", "gaussian", "ornstein-uhlenbeck") as well as the enum names. */
  public static String canonicalName(String noise) {
    String name = noise.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return name.equals("GAUSSIAN") ? "NORMAL" : name;
  }
}
