package io.gymlink.td3;

import java.util.LinkedHashMap;
import java.util.Map;

/** Time spent in matrix multiplies while profiling, per shape (m x n x k and transposes), in call order. */
final class GemmTimes {
  /** Calls and nanoseconds of one shape. */
  static final class Entry {
    final String shape;
    final double megaflop;
    long calls;
    long nanos;

    Entry(String shape, double megaflop) {
      this.shape = shape;
      this.megaflop = megaflop;
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();

  void add(int m, int n, int k, boolean transA, boolean transB, long nanos) {
    String shape = m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "");
    Entry e = entries.computeIfAbsent(shape, s -> new Entry(s, 2.0 * m * n * k / 1e6));
    e.calls++;
    e.nanos += nanos;
  }

  Iterable<Entry> entries() {
    return entries.values();
  }

  long totalNanos() {
    return entries.values().stream().mapToLong(e -> e.nanos).sum();
  }
}
