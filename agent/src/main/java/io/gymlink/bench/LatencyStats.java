package io.gymlink.bench;

import java.util.Arrays;

/**
 * Latency percentiles and throughput of one benchmark run.
 *
 * @param transport what was measured, e.g. {@code gRPC session stream}
 * @param steps number of timed steps
 * @param p50Micros median step latency in microseconds
 * @param p99Micros 99th-percentile step latency in microseconds
 * @param stepsPerSecond steps divided by the wall time of the whole timed loop (resets included)
 */
public record LatencyStats(String transport, int steps, double p50Micros, double p99Micros, double stepsPerSecond) {

  /** Stats from per-step latencies in nanoseconds and the loop's wall time. */
  public static LatencyStats of(String transport, long[] latencyNanos, long wallNanos) {
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    return new LatencyStats(transport, sorted.length, percentile(sorted, 50) / 1e3, percentile(sorted, 99) / 1e3,
        sorted.length / (wallNanos / 1e9));
  }

  /** Linear interpolation between closest ranks, as numpy.percentile does by default. */
  static double percentile(long[] sorted, double p) {
    double rank = p / 100.0 * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
