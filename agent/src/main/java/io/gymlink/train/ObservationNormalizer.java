package io.gymlink.train;

/**
 * Normalises observations with running statistics, (x - mean) / sqrt(var + epsilon) clipped to +-clip, like SB3's
 * {@code VecNormalize(norm_reward=False)}.
 *
 * <p>The trainer calls {@link #update} on every observation it collects; evaluation only calls {@link #normalize},
 * so the statistics are frozen there. The statistics are saved in checkpoints. The replay buffer keeps raw
 * observations and batches are normalised when sampled, so old transitions use the current statistics.
 */
public final class ObservationNormalizer {

  /** SB3's default clip of normalised observations. */
  public static final double DEFAULT_CLIP = 10.0;
  /** SB3's default epsilon under the square root. */
  public static final double DEFAULT_EPSILON = 1e-8;

  private final RunningMeanStd stats;
  private final double clip;
  private final double epsilon;

  /** A normaliser with SB3's clip and epsilon. */
  public ObservationNormalizer(int dim) {
    this(new RunningMeanStd(dim), DEFAULT_CLIP, DEFAULT_EPSILON);
  }

  public ObservationNormalizer(RunningMeanStd stats, double clip, double epsilon) {
    if (!(clip > 0) || !(epsilon > 0)) {
      throw new IllegalArgumentException("ObservationNormalizer needs clip > 0 and epsilon > 0, got " + clip + ", "
          + epsilon);
    }
    this.stats = stats;
    this.clip = clip;
    this.epsilon = epsilon;
  }

  /** Adds an observation to the statistics. */
  public void update(float[] observation) {
    stats.update(observation);
  }

  /** A normalised copy of one observation. */
  public float[] normalize(float[] observation) {
    float[] out = observation.clone();
    normalizeRowsInPlace(out);
    return out;
  }

  /** Normalises a row-major [rows, dim] array in place (e.g. a sampled batch). */
  public void normalizeRowsInPlace(float[] rows) {
    int dim = stats.dim();
    if (rows.length % dim != 0) {
      throw new IllegalArgumentException("array of " + rows.length + " floats is not a whole number of rows of "
          + dim);
    }
    for (int i = 0; i < rows.length; i++) {
      int d = i % dim;
      double z = (rows[i] - stats.meanAt(d)) / Math.sqrt(stats.varAt(d) + epsilon);
      rows[i] = (float) Math.max(-clip, Math.min(clip, z));
    }
  }

  /** Normalised values are clipped to [-clip, clip]. */
  public double clip() {
    return clip;
  }

  /** Added to the variance under the square root. */
  public double epsilon() {
    return epsilon;
  }

  /** The statistics, for checkpoints. */
  public RunningMeanStd stats() {
    return stats;
  }
}
