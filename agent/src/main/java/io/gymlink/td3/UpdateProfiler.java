package io.gymlink.td3;

import io.gymlink.buffer.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the time of a {@link Td3#train} step goes: matrix multiplies per shape, Adam, Polyak, and the rest
 * (element-wise work, copies between heap and off-heap, bookkeeping). For the update benchmark only.
 */
public final class UpdateProfiler {
  private UpdateProfiler() {}

  /** Runs {@code steps} updates over {@code batches} (after the caller's warm-up) and returns report lines. */
  public static List<String> profile(Td3 learner, Batch[] batches, int steps) {
    GemmTimes times = new GemmTimes();
    Blas.timing = times;
    long start = System.nanoTime();
    try {
      for (int i = 0; i < steps; i++) {
        learner.train(batches[i % batches.length]);
      }
    } finally {
      Blas.timing = null;
    }
    double totalMs = (System.nanoTime() - start) / 1e6 / steps;
    double gemmMs = times.totalNanos() / 1e6 / steps;
    // Per update: one Adam step per critic; the actor's Adam step and all Polyak updates every policyDelay-th.
    double delay = learner.policyDelay();
    int actorSize = learner.actorParameterCount();
    int criticSize = learner.criticParameterCount();
    int critics = learner.criticCount();
    double adamMs = critics * timeAdam(criticSize) + timeAdam(actorSize) / delay;
    double polyakMs = (critics * timePolyak(criticSize) + timePolyak(actorSize)) / delay;
    List<String> lines = new ArrayList<>();
    lines.add(String.format("| all (ms per update, incl. profiling) | %.3f | |", totalMs));
    for (GemmTimes.Entry e : times.entries()) {
      double ms = e.nanos / 1e6 / steps;
      lines.add(String.format("| gemm %s, %.1f calls | %.3f | %.0f GFLOP/s |", e.shape, (double) e.calls / steps, ms,
          e.megaflop * e.calls * 1e6 / e.nanos));
    }
    lines.add(String.format("| gemm total | %.3f | %.0f%% |", gemmMs, 100 * gemmMs / totalMs));
    lines.add(String.format("| Adam (measured apart) | %.3f | %.0f%% |", adamMs, 100 * adamMs / totalMs));
    lines.add(String.format("| Polyak (measured apart) | %.3f | %.0f%% |", polyakMs, 100 * polyakMs / totalMs));
    double rest = totalMs - gemmMs - adamMs - polyakMs;
    lines.add(String.format("| rest: element-wise, copies, overhead | %.3f | %.0f%% |", rest, 100 * rest / totalMs));
    return lines;
  }

  private static double timeAdam(int size) {
    Adam adam = new Adam(size, 1e-3);
    float[] params = new float[size];
    float[] grads = new float[size];
    java.util.Arrays.fill(grads, 1e-3f);
    return time(() -> adam.step(params, grads));
  }

  private static double timePolyak(int size) {
    float[] target = new float[size];
    float[] source = new float[size];
    return time(() -> Polyak.update(target, source, 0.005));
  }

  private static double time(Runnable r) {
    for (int i = 0; i < 200; i++) {
      r.run();
    }
    long start = System.nanoTime();
    for (int i = 0; i < 500; i++) {
      r.run();
    }
    return (System.nanoTime() - start) / 1e6 / 500;
  }
}
