package io.gymlink.train;

import java.util.Arrays;

/**
 * The returns of one deterministic evaluation (actor without noise, normaliser frozen).
 *
 * @param step training environment steps when it was taken
 * @param returns undiscounted return of each episode
 * @param lengths steps of each episode
 */
public record EvaluationResult(long step, double[] returns, int[] lengths) {

  public EvaluationResult {
    returns = returns.clone();
    lengths = lengths.clone();
  }

  /** Mean episode return. */
  public double mean() {
    return Arrays.stream(returns).average().orElse(Double.NaN);
  }

  /** Population standard deviation of the episode returns (numpy's default, as SB3 reports). */
  public double std() {
    double mean = mean();
    return Math.sqrt(Arrays.stream(returns).map(r -> (r - mean) * (r - mean)).average().orElse(Double.NaN));
  }

  /** "-152.31 ± 94.20 over 10 episodes". */
  public String summary() {
    return String.format(java.util.Locale.ROOT, "%.2f ± %.2f over %d episodes", mean(), std(), returns.length);
  }
}
