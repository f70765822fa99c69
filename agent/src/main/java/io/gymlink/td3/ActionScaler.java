package io.gymlink.td3;

import io.gymlink.env.spaces.BoxSpace;
import java.util.Arrays;

/**
 * Maps actions between a bounded Box and [-1, 1], the range of the actor's tanh output, as SB3's
 * {@code scale_action} / {@code unscale_action}: a = low + (u + 1) / 2 * (high - low).
 */
final class ActionScaler {
  private final float[] low;
  private final float[] high;
  private final float[] halfRange;

  ActionScaler(BoxSpace space) {
    if (!space.isBounded()) {
      throw new IllegalArgumentException("DDPG needs a bounded action space (tanh output rescaled to the bounds), "
          + "got " + space);
    }
    int n = space.size();
    low = new float[n];
    high = new float[n];
    halfRange = new float[n];
    for (int i = 0; i < n; i++) {
      low[i] = (float) space.low()[i];
      high[i] = (float) space.high()[i];
      halfRange[i] = (float) ((space.high()[i] - space.low()[i]) / 2);
    }
  }

  int size() {
    return low.length;
  }

  /** Env-bounds action(s) (row-major, {@code length} floats) to [-1, 1]. */
  void toUnit(float[] action, float[] unit, int length) {
    int n = low.length;
    for (int i = 0; i < length; i++) {
      int k = i % n;
      unit[i] = halfRange[k] == 0f ? 0f : (action[i] - low[k]) / halfRange[k] - 1f;
    }
  }

  /** [-1, 1] action(s) to env bounds, clipped so that float rounding never leaves the box. */
  void fromUnit(float[] unit, float[] action, int length) {
    int n = low.length;
    for (int i = 0; i < length; i++) {
      int k = i % n;
      float a = low[k] + (unit[i] + 1f) * halfRange[k];
      action[i] = Math.min(Math.max(a, low[k]), high[k]);
    }
  }

  @Override
  public String toString() {
    return "ActionScaler[low=" + Arrays.toString(low) + ", halfRange=" + Arrays.toString(halfRange) + "]";
  }
}
