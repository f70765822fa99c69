package io.gymlink.td3;

import io.gymlink.env.spaces.BoxSpace;
import java.util.Arrays;

/**
 * Maps actions between a bounded Box and [-1, 1]^n, the range of the actor's tanh output, where exploration and
 * target policy noise are added and clipped: SB3's {@code BasePolicy.scale_action} / {@code unscale_action},
 * u = 2 (a - low) / (high - low) - 1 and a = low + (u + 1) / 2 (high - low), in double precision. The learner
 * ({@link Td3}) and the training loop share this one scaler.
 */
public final class ActionScaler {
  private final double[] low;
  private final double[] high;
  private final float[] lowFloat;
  private final float[] highFloat;

  /** A scaler for {@code space}, which must be bounded. */
  public ActionScaler(BoxSpace space) {
    if (!space.isBounded()) {
      throw new IllegalArgumentException("DDPG/TD3 need a bounded action space (tanh output rescaled to the"
          + " bounds), got " + space);
    }
    this.low = space.low().clone();
    this.high = space.high().clone();
    this.lowFloat = new float[low.length];
    this.highFloat = new float[low.length];
    for (int i = 0; i < low.length; i++) {
      lowFloat[i] = (float) low[i];
      highFloat[i] = (float) high[i];
    }
  }

  /** Floats per action. */
  public int size() {
    return low.length;
  }

  /** Env-bounds action(s), row-major, {@code length} floats, to [-1, 1] (0 where low == high). */
  public void scale(float[] action, float[] scaledOut, int length) {
    int n = low.length;
    for (int i = 0; i < length; i++) {
      int k = i % n;
      double range = high[k] - low[k];
      scaledOut[i] = range == 0 ? 0f : (float) (2.0 * (action[i] - low[k]) / range - 1.0);
    }
  }

  /** [-1, 1] action(s) to env bounds, clamped in float precision so that the Box always accepts them. */
  public void unscale(float[] scaled, float[] actionOut, int length) {
    int n = low.length;
    for (int i = 0; i < length; i++) {
      int k = i % n;
      double x = low[k] + 0.5 * (scaled[i] + 1.0) * (high[k] - low[k]);
      actionOut[i] = Math.max(lowFloat[k], Math.min(highFloat[k], (float) x));
    }
  }

  /** {@link #scale} of one action into a fresh array. */
  public float[] scale(float[] action) {
    float[] scaled = new float[action.length];
    scale(action, scaled, action.length);
    return scaled;
  }

  /** {@link #unscale} of one action into a fresh array. */
  public float[] unscale(float[] scaled) {
    float[] action = new float[scaled.length];
    unscale(scaled, action, scaled.length);
    return action;
  }

  /** Adds {@code noise} to a scaled action and clips to [-1, 1], in place (SB3's exploration in scaled space). */
  public static void addNoiseAndClip(float[] scaled, float[] noise) {
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = Math.max(-1f, Math.min(1f, scaled[i] + noise[i]));
    }
  }

  /** The lower bounds (a copy). */
  public double[] low() {
    return low.clone();
  }

  /** The upper bounds (a copy). */
  public double[] high() {
    return high.clone();
  }

  @Override
  public String toString() {
    return "ActionScaler[low=" + Arrays.toString(low) + ", high=" + Arrays.toString(high) + "]";
  }
}
