package io.gymlink.train;

import java.util.Arrays;

/**
 * Running per-dimension mean and variance of a stream of vectors (SB3's {@code RunningMeanStd}), merged with the
 * parallel algorithm of Chan, Golub and LeVeque (1979) so that it stays accurate over millions of samples.
 *
 * <p>Starts, as SB3 does, at mean 0, variance 1 and a pseudo-count of 1e-4.
 */
public final class RunningMeanStd {

  /** SB3's initial pseudo-count, which keeps the first update from dividing by zero. */
  public static final double INITIAL_COUNT = 1e-4;

  private final double[] mean;
  private final double[] var;
  private double count;

  /** Fresh statistics for vectors of {@code dim} elements. */
  public RunningMeanStd(int dim) {
    if (dim < 1) {
      throw new IllegalArgumentException("RunningMeanStd needs dim >= 1, got " + dim);
    }
    this.mean = new double[dim];
    this.var = new double[dim];
    Arrays.fill(var, 1.0);
    this.count = INITIAL_COUNT;
  }

  /** Adds one sample. */
  public void update(float[] x) {
    if (x.length != mean.length) {
      throw new IllegalArgumentException("sample has " + x.length + " elements, expected " + mean.length);
    }
    double total = count + 1;
    for (int i = 0; i < mean.length; i++) {
      double delta = x[i] - mean[i];
      double m2 = var[i] * count + delta * delta * count / total;
      mean[i] += delta / total;
      var[i] = m2 / total;
    }
    count = total;
  }

  public int dim() {
    return mean.length;
  }

  /** The current means (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** The current (population) variances (a copy). */
  public double[] var() {
    return var.clone();
  }

  /** Samples seen, plus the initial pseudo-count. */
  public double count() {
    return count;
  }

  double meanAt(int i) {
    return mean[i];
  }

  double varAt(int i) {
    return var[i];
  }

  /** Restores statistics saved from {@link #mean()}, {@link #var()} and {@link #count()}. */
  public void restore(double[] savedMean, double[] savedVar, double savedCount) {
    if (savedMean.length != mean.length || savedVar.length != var.length) {
      throw new IllegalArgumentException(
          "saved statistics have " + savedMean.length + " means and " + savedVar.length + " variances, expected "
              + mean.length);
    }
    System.arraycopy(savedMean, 0, mean, 0, mean.length);
    System.arraycopy(savedVar, 0, var, 0, var.length);
    count = savedCount;
  }
}
