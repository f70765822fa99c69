package io.gymlink.noise;

import java.util.Arrays;
import java.util.Random;

/**
 * Temporally correlated exploration noise from an Ornstein-Uhlenbeck process (Uhlenbeck and Ornstein 1930), as
 * used by the DDPG paper (Lillicrap et al. 2016) and SB3's {@code OrnsteinUhlenbeckActionNoise}.
 *
 * <p>Euler-Maruyama step: x' = x + theta * (mu - x) * dt + sigma * sqrt(dt) * N(0, 1). {@link #reset()} returns x to
 * its initial value (zero unless given), to be called at the end of every episode.
 */
public final class OrnsteinUhlenbeckActionNoise implements ActionNoise {

  /** SB3's default mean-reversion rate. */
  public static final double DEFAULT_THETA = 0.15;
  /** SB3's default time step. */
  public static final double DEFAULT_DT = 1e-2;

  private final double[] mean;
  private final double[] sigma;
  private final double theta;
  private final double dt;
  private final double[] initialNoise;
  private final double[] previous;
  private final Random random;

  /**
   * An OU process started at {@code initialNoise} (or zero when null).
   *
   * @throws IllegalArgumentException on mismatched lengths, negative sigma, or non-positive theta or dt
   */
  public OrnsteinUhlenbeckActionNoise(
      double[] mean, double[] sigma, double theta, double dt, double[] initialNoise, Random random) {
    if (mean.length != sigma.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "OrnsteinUhlenbeckActionNoise needs mean and sigma of equal, non-zero length, got " + mean.length + " and "
              + sigma.length);
    }
    if (initialNoise != null && initialNoise.length != mean.length) {
      throw new IllegalArgumentException(
          "OrnsteinUhlenbeckActionNoise initialNoise has length " + initialNoise.length + ", expected "
              + mean.length);
    }
    if (!(theta > 0) || !(dt > 0)) {
      throw new IllegalArgumentException(
          "OrnsteinUhlenbeckActionNoise needs theta > 0 and dt > 0, got theta " + theta + ", dt " + dt);
    }
    for (double s : sigma) {
      if (!(s >= 0)) {
        throw new IllegalArgumentException(
            "OrnsteinUhlenbeckActionNoise sigma must be >= 0, got " + Arrays.toString(sigma));
      }
    }
    this.mean = mean.clone();
    this.sigma = sigma.clone();
    this.theta = theta;
    this.dt = dt;
    this.initialNoise = initialNoise == null ? new double[mean.length] : initialNoise.clone();
    this.previous = this.initialNoise.clone();
    this.random = random;
  }

  /** Zero-mean OU noise with SB3's default theta and dt and the same sigma on each of {@code dim} dimensions. */
  public static OrnsteinUhlenbeckActionNoise isotropic(int dim, double sigma, Random random) {
    double[] sigmas = new double[dim];
    Arrays.fill(sigmas, sigma);
    return new OrnsteinUhlenbeckActionNoise(new double[dim], sigmas, DEFAULT_THETA, DEFAULT_DT, null, random);
  }

  @Override
  public float[] sample() {
    float[] noise = new float[mean.length];
    double sqrtDt = Math.sqrt(dt);
    for (int i = 0; i < noise.length; i++) {
      previous[i] += theta * (mean[i] - previous[i]) * dt + sigma[i] * sqrtDt * random.nextGaussian();
      noise[i] = (float) previous[i];
    }
    return noise;
  }

  @Override
  public void reset() {
    System.arraycopy(initialNoise, 0, previous, 0, previous.length);
  }

  @Override
  public String toString() {
    return "OrnsteinUhlenbeckActionNoise(mu=" + Arrays.toString(mean) + ", sigma=" + Arrays.toString(sigma)
        + ", theta=" + theta + ", dt=" + dt + ")";
  }
}
