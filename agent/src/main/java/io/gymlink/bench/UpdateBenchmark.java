package io.gymlink.bench;

import io.gymlink.nn.OperationBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Milliseconds per DDPG gradient step (critic, actor, Polyak, Adam) on synthetic Pendulum-shaped batches, printed as
 * markdown table rows; {@code bin/bench-update} runs it once per OpenBLAS setting (kernel and thread count are fixed
 * when the native library loads). Modes: the plain table (default), {@code --torch} (side by side with PyTorch in
 * one run, alternating), {@code --profile} (where the time goes), {@code --ops} (each network operation through ND4J
 * and through the path the networks use), {@code --rss} (resident memory over a long run).
 */
@Command(name = "bench-update", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Times the learner's update and prints markdown table rows (bin/bench-update).")
public final class UpdateBenchmark implements Callable<Integer> {

  @Option(names = "--net", split = ";", defaultValue = "256,256;400,300",
      description = "Hidden layer widths, one network per ';'-separated entry (default: ${DEFAULT-VALUE}).")
  List<String> nets;

  @Option(names = "--batch", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--obs", defaultValue = "3", description = "Observation size (default: ${DEFAULT-VALUE}).")
  int observationDim;

  @Option(names = "--act", defaultValue = "1", description = "Action size (default: ${DEFAULT-VALUE}).")
  int actionDim;

  @Option(names = "--activation", defaultValue = "relu", description = "relu or tanh (default: ${DEFAULT-VALUE}).")
  String activation;

  @Option(names = "--warmup", defaultValue = "100", description = "Untimed updates first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--updates", defaultValue = "200",
      description = "Timed updates per row; with --torch per side (default: ${DEFAULT-VALUE}).")
  int updates;

  @Option(names = "--label", defaultValue = "", description = "First column of each row (the setting).")
  String label;

  @Option(names = "--torch", paramLabel = "PYTHON",
      description = "Side by side with PyTorch: the Python interpreter of a venv with torch (bin/bench-venv).")
  Path torchPython;

  @Option(names = "--torch-script", defaultValue = "envserver-adapter/scripts/torch_update.py",
      description = "The PyTorch side's script (default: ${DEFAULT-VALUE}).")
  Path torchScript;

  @Option(names = "--torch-variant", defaultValue = "minimal",
      description = "minimal (same arithmetic, fused Adam) or sb3 (SB3's code as written) (default: ${DEFAULT-VALUE}).")
  String torchVariant;

  @Option(names = "--threads", defaultValue = "1",
      description = "Thread count passed to PyTorch; must match this JVM's OPENBLAS_NUM_THREADS (default: 1).")
  int threads;

  @Option(names = "--profile", description = "Print where the time of an update goes instead (phases, BLAS floor).")
  boolean profile;

  @Option(names = "--ops", description = "Print each network operation through ND4J and through our path instead.")
  boolean ops;

  @Option(names = "--rss", description = "Run --updates updates of the first --net and print the resident memory"
      + " every --rss-every updates instead.")
  boolean rss;

  @Option(names = "--rss-every", defaultValue = "10000",
      description = "With --rss: updates between two RSS lines (default: ${DEFAULT-VALUE}).")
  int rssEvery;

  @Option(names = "--rounds", defaultValue = "10",
      description = "With --torch: alternating rounds, each of updates/rounds per side (default: ${DEFAULT-VALUE}).")
  int rounds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new UpdateBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String net : nets) {
      List<Integer> arch = Arrays.stream(net.split(",")).map(String::trim).map(Integer::valueOf).toList();
      if (ops) {
        OperationBenchmark.compare(batchSize, arch.get(0), arch.get(arch.size() - 1), rounds)
            .forEach(System.out::println);
        continue;
      }
      UpdateSetup setup = UpdateSetup.ddpg(arch, activation, batchSize, observationDim, actionDim);
      if (rss) {
        rssRows(setup);
        return 0;
      } else if (profile) {
        TorchSideBySide.timeGymlink(setup, 0, warmup, null);
        System.out.println();
        System.out.println("Profile of " + arch + ", batch " + batchSize + (label.isEmpty() ? "" : " (" + label + ")")
            + ", thread CPU ms, least of " + updates + " rounds:");
        System.out.println();
        System.out.println("| phase | ms per update | share |");
        System.out.println("|---|---|---|");
        UpdateProfile.rows(setup, observationDim, actionDim, activation, updates).forEach(System.out::println);
      } else if (torchPython != null) {
        sideBySide(setup, net);
      } else {
        plainRow(setup);
      }
    }
    return 0;
  }

  private void rssRows(UpdateSetup setup) {
    System.out.println("| updates | RSS MiB | peak RSS MiB | ms per update (last block) |");
    System.out.println("|---|---|---|---|");
    long start = System.nanoTime();
    for (long done = 0; done <= updates; done += rssEvery) {
      double[] memory = RssMonitor.residentAndPeakMiB();
      String ms = done == 0 ? "–" : String.format(Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e6 / rssEvery);
      System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %s |%n", done, memory[0], memory[1], ms);
      start = System.nanoTime();
      if (done < updates) {
        TorchSideBySide.timeGymlink(setup, done, (int) Math.min(rssEvery, updates - done), null);
      }
    }
  }

  private void plainRow(UpdateSetup setup) {
    TorchSideBySide.Samples samples = new TorchSideBySide.Samples();
    TorchSideBySide.timeGymlink(setup, 0, warmup, null);
    TorchSideBySide.timeGymlink(setup, warmup, updates, samples);
    Stats wall = Stats.of(samples.wallMs());
    double predictMicros = PredictTiming.medianMicros(setup.learner(), observationDim);
    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %.1f |%n", label,
        setup.netArch().toString().replace(" ", ""), batchSize, wall.median(), wall.p90(), wall.p10(), wall.mean(),
        updates, predictMicros);
  }

  private void sideBySide(UpdateSetup setup, String net) {
    if (!Files.isRegularFile(torchScript)) {
      throw new IllegalArgumentException("PyTorch script " + torchScript + " not found (run from the repository root"
          + " or pass --torch-script)");
    }
    List<String> command = new ArrayList<>(List.of(torchPython.toString(), torchScript.toString(), "--net", net,
        "--batch", Integer.toString(batchSize), "--obs", Integer.toString(observationDim), "--act",
        Integer.toString(actionDim), "--activation", activation, "--threads", Integer.toString(threads),
        "--variant", torchVariant));
    int perRound = Math.max(1, updates / rounds);
    TorchSideBySide.Result result = TorchSideBySide.run(command, setup, warmup, rounds, perRound);
    Stats torchWall = Stats.of(result.torch().wallMs());
    Stats torchCpu = Stats.of(result.torch().cpuMs());
    Stats oursWall = Stats.of(result.gymlink().wallMs());
    Stats oursCpu = Stats.of(result.gymlink().cpuMs());
    System.out.printf(Locale.ROOT, "| %s | %d | %.2f (%.2f) | %.2f (%.2f) | **%.2f** | %.2f | %.2f | **%.2f** |%n",
        setup.netArch().toString().replace(" ", ""), threads, torchWall.median(), torchWall.p10(),
        oursWall.median(), oursWall.p10(), oursWall.median() / torchWall.median(), torchCpu.median(),
        oursCpu.median(), oursCpu.median() / torchCpu.median());
    System.err.println("[bench-update] PyTorch side: " + result.torchInfo());
  }

  /** Median, p10, p90 and mean of per-update milliseconds. */
  record Stats(double median, double p10, double p90, double mean) {
    static Stats of(List<Double> ms) {
      double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return new Stats(sorted[sorted.length / 2], sorted[(int) (0.1 * sorted.length)],
          sorted[(int) Math.ceil(0.9 * sorted.length) - 1], Arrays.stream(sorted).average().orElse(Double.NaN));
    }
  }
}
