package io.gymlink.random;

import java.util.Random;

/**
 * A seeded {@link Random} whose whole state can be read and restored, so that a checkpoint resumes bit-identically.
 *
 * <p>{@code java.util.Random} keeps its state (and its cached second Gaussian) private; this subclass replaces the
 * generator with SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014)
 * and draws Gaussians with the Marsaglia polar method, caching the spare value in fields that {@link #state()}
 * exports. Every {@code Random} method it inherits goes through {@link #next(int)}. Not thread-safe: one thread
 * owns one instance.
 */
public final class SplitMix64Random extends Random {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  // No field initialisers: Random's constructor calls setSeed() before this class's initialisers would run.
  private long state;
  private boolean haveSpareGaussian;
  private double spareGaussian;

  /** A generator seeded with {@code seed}; equal seeds give equal sequences. */
  public SplitMix64Random(long seed) {
    super(seed);
  }

  /** The exact generator state, for {@link #restore(State)}. */
  public record State(long state, boolean haveSpareGaussian, double spareGaussian) {}

  @Override
  public void setSeed(long seed) {
    this.state = seed;
    this.haveSpareGaussian = false;
    this.spareGaussian = 0;
  }

  /** The generator's state now. */
  public State state() {
    return new State(state, haveSpareGaussian, spareGaussian);
  }

  /** Puts the generator back into a state taken with {@link #state()}. */
  public void restore(State saved) {
    this.state = saved.state();
    this.haveSpareGaussian = saved.haveSpareGaussian();
    this.spareGaussian = saved.spareGaussian();
  }

  /** A new generator seeded from this one's output, for a component that needs its own stream. */
  public SplitMix64Random split() {
    return new SplitMix64Random(nextLong());
  }

  @Override
  public long nextLong() {
    long z = (state += GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  protected int next(int bits) {
    return (int) (nextLong() >>> (64 - bits));
  }

  @Override
  public synchronized double nextGaussian() {
    if (haveSpareGaussian) {
      haveSpareGaussian = false;
      return spareGaussian;
    }
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * nextDouble() - 1;
      v2 = 2 * nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    spareGaussian = v2 * multiplier;
    haveSpareGaussian = true;
    return v1 * multiplier;
  }
}
