package io.gymlink.train;

import io.gymlink.env.spaces.BoxSpace;

/**
 * Maps actions between a bounded Box and the policy's scaled space [-1, 1]^n (SB3's {@code scale_action} /
 * {@code unscale_action}), where exploration noise is added and clipped.
 */
final class ActionRescaler {

  private final double[] low;
  private final double[] high;

  ActionRescaler(BoxSpace space) {
    this.low = space.low();
    this.high = space.high();
  }

  /** Env-bounded action -> [-1, 1]. */
  float[] scale(float[] action) {
    float[] scaled = new float[action.length];
    for (int i = 0; i < action.length; i++) {
      scaled[i] = (float) (2.0 * (action[i] - low[i]) / (high[i] - low[i]) - 1.0);
    }
    return scaled;
  }

  /** Adds noise to a scaled action and clips to [-1, 1], in place. */
  static void addNoiseAndClip(float[] scaled, float[] noise) {
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = Math.max(-1f, Math.min(1f, scaled[i] + noise[i]));
    }
  }

  /** [-1, 1] -> env bounds, clamped in float precision so that the Box always accepts it. */
  float[] unscale(float[] scaled) {
    float[] action = new float[scaled.length];
    for (int i = 0; i < scaled.length; i++) {
      double x = low[i] + 0.5 * (scaled[i] + 1.0) * (high[i] - low[i]);
      action[i] = Math.max((float) low[i], Math.min((float) high[i], (float) x));
    }
    return action;
  }
}
