package io.gymlink.noise;

import java.util.Arrays;
import java.util.Random;

/** Independent Gaussian exploration noise N(mean, sigma^2) per action dimension (SB3's {@code NormalActionNoise}). */
public final class NormalActionNoise implements ActionNoise {

  private final double[] mean;
  private final double[] sigma;
  private final Random random;

  /**
   * Gaussian noise with per-dimension mean and standard deviation.
   *
   * @throws IllegalArgumentException if the arrays differ in length or a sigma is negative or NaN
   */
  public NormalActionNoise(double[] mean, double[] sigma, Random random) {
    if (mean.length != sigma.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "NormalActionNoise needs mean and sigma of equal, non-zero length, got " + mean.length + " and "
              + sigma.length);
    }
    for (double s : sigma) {
      if (!(s >= 0)) {
        throw new IllegalArgumentException("NormalActionNoise sigma must be >= 0, got " + Arrays.toString(sigma));
      }
    }
    this.mean = mean.clone();
    this.sigma = sigma.clone();
    this.random = random;
  }

  /** Zero-mean noise with the same sigma on each of {@code dim} dimensions. */
  public static NormalActionNoise isotropic(int dim, double sigma, Random random) {
    double[] sigmas = new double[dim];
    Arrays.fill(sigmas, sigma);
    return new NormalActionNoise(new double[dim], sigmas, random);
  }

  @Override
  public float[] sample() {
    float[] noise = new float[mean.length];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (mean[i] + sigma[i] * random.nextGaussian());
    }
    return noise;
  }

  /** Gaussian noise has no memory: nothing to reset. */
  @Override
  public void reset() {}

  @Override
  public String toString() {
    return "NormalActionNoise(mu=" + Arrays.toString(mean) + ", sigma=" + Arrays.toString(sigma) + ")";
  }
}
