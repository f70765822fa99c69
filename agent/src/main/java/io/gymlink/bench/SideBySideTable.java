package io.gymlink.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Prints the side-by-side learning benchmark's tables: one row per seed, then the one-row summary (env, algorithm,
 * budget, seeds, final evaluation mean ± std across seeds, wall time and env-steps/s of each side), with the
 * machine, its load and the thread counts.
 */
public final class SideBySideTable {

  /** What was compared and where: the header lines of the table. */
  public record Setting(String envId, String algorithm, long budget, int evalEpisodes, int blasThreads,
      int torchThreads, String sb3Versions) {}

  private SideBySideTable() {}

  /**
   * Prints both tables.
   *
   * @param gymlink one result per seed, in seed order
   * @param sb3 one result per seed in the same order, or empty (gymlink only)
   * @param loadBefore the load average when the benchmark started ("n/a" where unknown)
   */
  public static void print(PrintStream out, Setting setting, List<SeedResult> gymlink, List<SeedResult> sb3,
      String loadBefore) {
    boolean both = !sb3.isEmpty();
    String seeds = gymlink.stream().map(r -> Long.toString(r.seed())).collect(Collectors.joining(","));
    out.println();
    out.printf(Locale.ROOT, "%s, %s, %d env steps per seed, seeds %s; final evaluation: %d deterministic episodes,"
        + " episode i reset with seed + 10000 + i%s%n", setting.envId(), setting.algorithm(), setting.budget(), seeds,
        setting.evalEpisodes(), both ? ", the same for both" : "");
    out.printf(Locale.ROOT, "machine: %s; load average %s at start, %s at end%n", cpu(), loadBefore, loadAverage());
    out.printf(Locale.ROOT, "gymlink: OpenBLAS %d thread(s)%s%n", setting.blasThreads(), both
        ? "; SB3: torch " + setting.torchThreads() + " thread(s), " + setting.sb3Versions() : "");
    out.println("(env-steps/s: per second of training, evaluation excluded; wall time: the whole run per seed)");
    out.println();
    out.println(both
        ? "| seed | gymlink final eval | SB3 final eval | gymlink wall | SB3 wall | gymlink env-steps/s | SB3 env-steps/s |"
        : "| seed | final eval return (mean ± std) | wall time | env-steps/s |");
    out.println(both ? "|---|---|---|---|---|---|---|" : "|---|---|---|---|");
    for (int i = 0; i < gymlink.size(); i++) {
      SeedResult g = gymlink.get(i);
      if (both) {
        SeedResult s = sb3.get(i);
        out.printf(Locale.ROOT, "| %d | %.1f ± %.1f | %.1f ± %.1f | %s | %s | %.1f | %.1f |%n", g.seed(), g.mean(),
            g.std(), s.mean(), s.std(), duration(g.wallSeconds()), duration(s.wallSeconds()), g.stepsPerSecond(),
            s.stepsPerSecond());
      } else {
        out.printf(Locale.ROOT, "| %d | %.1f ± %.1f | %s | %.1f |%n", g.seed(), g.mean(), g.std(),
            duration(g.wallSeconds()), g.stepsPerSecond());
      }
    }
    if (both) {
      printSummary(out, setting, seeds, gymlink, sb3);
    }
  }

  private static void printSummary(PrintStream out, Setting setting, String seeds, List<SeedResult> gymlink,
      List<SeedResult> sb3) {
    out.println();
    out.println("| env | algorithm | budget | seeds | gymlink final eval (mean ± std over seeds) | SB3 final eval"
        + " | gymlink wall per seed | SB3 wall per seed | gymlink env-steps/s | SB3 env-steps/s | threads gymlink / SB3 |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    out.printf(Locale.ROOT, "| %s | %s | %d | %s | %.1f ± %.1f | %.1f ± %.1f | %s | %s | %.1f | %.1f | %d / %d |%n",
        setting.envId(), setting.algorithm(), setting.budget(), seeds, mean(gymlink, SeedResult::mean),
        std(gymlink, SeedResult::mean), mean(sb3, SeedResult::mean), std(sb3, SeedResult::mean),
        duration(mean(gymlink, SeedResult::wallSeconds)), duration(mean(sb3, SeedResult::wallSeconds)),
        mean(gymlink, SeedResult::stepsPerSecond), mean(sb3, SeedResult::stepsPerSecond), setting.blasThreads(),
        setting.torchThreads());
    out.printf(Locale.ROOT, "gymlink / SB3: env-steps/s %.2fx, wall time %.2fx; final eval mean %s SB3's%n",
        mean(gymlink, SeedResult::stepsPerSecond) / mean(sb3, SeedResult::stepsPerSecond),
        mean(gymlink, SeedResult::wallSeconds) / mean(sb3, SeedResult::wallSeconds),
        mean(gymlink, SeedResult::mean) >= mean(sb3, SeedResult::mean) ? ">=" : "<");
  }

  static double mean(List<SeedResult> results, ToDoubleFunction<SeedResult> field) {
    return results.stream().mapToDouble(field).average().orElse(Double.NaN);
  }

  /** Population standard deviation across seeds. */
  static double std(List<SeedResult> results, ToDoubleFunction<SeedResult> field) {
    double mean = mean(results, field);
    return Math.sqrt(results.stream().mapToDouble(field).map(v -> (v - mean) * (v - mean)).average()
        .orElse(Double.NaN));
  }

  /** "47 s", "14.2 min", "3.1 h". */
  static String duration(double seconds) {
    return seconds < 120 ? String.format(Locale.ROOT, "%.0f s", seconds)
        : seconds < 7200 ? String.format(Locale.ROOT, "%.1f min", seconds / 60)
        : String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }

  /** The 1-, 5- and 15-minute load averages from /proc/loadavg, or "n/a". */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** "Intel(R) Xeon(R) Processor, 2 CPUs", from /proc/cpuinfo where it exists. */
  static String cpu() {
    String model = "unknown CPU";
    try {
      model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst().orElse(model);
    } catch (IOException | RuntimeException e) {
      // not Linux: the model stays unknown
    }
    return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs";
  }
}
