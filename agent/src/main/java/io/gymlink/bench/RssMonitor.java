package io.gymlink.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, from /proc/self/status (Linux), for the memory rows of the benchmarks. */
final class RssMonitor {
  private RssMonitor() {}

  /** VmRSS (current) and VmHWM (peak) in MiB. */
  static double[] residentAndPeakMiB() {
    double rss = Double.NaN;
    double peak = Double.NaN;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kibibytes(line) / 1024.0;
        } else if (line.startsWith("VmHWM:")) {
          peak = kibibytes(line) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status (the RSS benchmark needs Linux)", e);
    }
    return new double[] {rss, peak};
  }

  private static long kibibytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}
