package io.gymlink.td3;

import io.gymlink.random.SplitMix64Random;

/**
 * TD3's target policy smoothing (Fujimoto et al. 2018, section 5.3): clipped Gaussian noise on the target actor's
 * actions, a' = clip(mu'(s') + clip(N(0, sigma), -c, c), -1, 1), drawn from the learner's own checkpointable
 * generator so that a reloaded learner draws the same noise. With sigma = 0 (DDPG) it draws nothing.
 */
final class TargetPolicyNoise {
  /** Floats of {@link #stateAsFloats()}: the generator's 64-bit state and its cached Gaussian, 16 bits a float. */
  static final int STATE_FLOATS = 9;
  /** Checkpoints written before the generators were unified carry only the 64-bit state. */
  static final int LEGACY_STATE_FLOATS = 4;

  private final SplitMix64Random random;
  private final double sigma;
  private final double clip;

  TargetPolicyNoise(SplitMix64Random random, double sigma, double clip) {
    this.random = random;
    this.sigma = sigma;
    this.clip = clip;
  }

  /** Adds the clipped noise to {@code length} actions in [-1, 1], in place, and clips them to [-1, 1]. */
  void addTo(float[] unitActions, int length) {
    if (sigma <= 0) {
      return;
    }
    for (int i = 0; i < length; i++) {
      double noise = Math.max(-clip, Math.min(clip, random.nextGaussian() * sigma));
      unitActions[i] = (float) Math.max(-1, Math.min(1, unitActions[i] + noise));
    }
  }

  /** The generator's state as floats that hold 16 bits each (exact in float32), for {@link LearnerState}. */
  float[] stateAsFloats() {
    SplitMix64Random.State s = random.state();
    float[] f = new float[STATE_FLOATS];
    writeWords(s.state(), f, 0);
    f[4] = s.haveSpareGaussian() ? 1f : 0f;
    writeWords(Double.doubleToRawLongBits(s.spareGaussian()), f, 5);
    return f;
  }

  /** Restores {@link #stateAsFloats()} output, or the 4-float state of an older checkpoint (no cached Gaussian). */
  void restore(float[] f) {
    if (f.length != STATE_FLOATS && f.length != LEGACY_STATE_FLOATS) {
      throw new IllegalArgumentException("target noise generator state has " + f.length + " floats, expected "
          + STATE_FLOATS + " (or " + LEGACY_STATE_FLOATS + " from an older checkpoint)");
    }
    long state = readWords(f, 0);
    if (f.length == LEGACY_STATE_FLOATS) {
      random.restore(new SplitMix64Random.State(state, false, 0));
      return;
    }
    if (f[4] != 0f && f[4] != 1f) {
      throw new IllegalArgumentException("target noise generator flag is " + f[4] + ", expected 0 or 1");
    }
    random.restore(new SplitMix64Random.State(state, f[4] == 1f, Double.longBitsToDouble(readWords(f, 5))));
  }

  private static void writeWords(long value, float[] f, int from) {
    for (int i = 0; i < 4; i++) {
      f[from + i] = (float) ((value >>> (16 * i)) & 0xFFFF);
    }
  }

  private static long readWords(float[] f, int from) {
    long value = 0;
    for (int i = 0; i < 4; i++) {
      float word = f[from + i];
      if (word != Math.rint(word) || word < 0 || word > 0xFFFF) {
        throw new IllegalArgumentException("target noise generator state word " + i + " is " + word
            + ", expected an integer in [0, 65535]");
      }
      value |= ((long) word) << (16 * i);
    }
    return value;
  }
}
