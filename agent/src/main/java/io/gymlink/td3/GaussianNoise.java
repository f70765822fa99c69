package io.gymlink.td3;

/**
 * A seeded stream of standard normal numbers whose whole state is one long, so that a {@link LearnerState} can
 * carry it and a reloaded learner draws the same target policy noise (java.util.Random's state cannot be read).
 * SplitMix64 (Steele, Lea &amp; Flood 2014) for uniforms, Box-Muller for normals, one normal per two uniforms.
 */
final class GaussianNoise {
  private long state;

  GaussianNoise(long seed) {
    this.state = seed;
  }

  /** A standard normal sample. */
  double next() {
    double u1 = 1.0 - uniform(); // in (0, 1], so the log is finite
    double u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private double uniform() {
    state += 0x9E3779B97F4A7C15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (z >>> 11) * 0x1.0p-53;
  }

  /** The state as four floats holding 16 bits each (exact in float32), for {@link LearnerState}. */
  float[] stateAsFloats() {
    float[] f = new float[4];
    for (int i = 0; i < 4; i++) {
      f[i] = (float) ((state >>> (16 * i)) & 0xFFFF);
    }
    return f;
  }

  /** Restores {@link #stateAsFloats()} output. */
  void restore(float[] f) {
    long s = 0;
    for (int i = 0; i < 4; i++) {
      if (f[i] != Math.rint(f[i]) || f[i] < 0 || f[i] > 0xFFFF) {
        throw new IllegalArgumentException("noise generator state word " + i + " is " + f[i]
            + ", expected an integer in [0, 65535]");
      }
      s |= ((long) f[i]) << (16 * i);
    }
    state = s;
  }
}
