package io.gymlink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gymlink.cli.LocalEnvServer;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.train.ComparisonPlot;
import io.gymlink.train.ConfigResolver;
import io.gymlink.train.EvaluationResult;
import io.gymlink.train.LearningCurvePlot;
import io.gymlink.train.MetricsWriter;
import io.gymlink.train.ProgressReporter;
import io.gymlink.train.RunConfig;
import io.gymlink.train.RunContext;
import io.gymlink.train.Trainer;
import io.gymlink.train.Versions;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The learning-quality benchmark: trains DDPG or TD3 with the env's preset on several seeds, one after the other,
 * through the env server, and prints a markdown table of the final deterministic evaluation, wall time and
 * env-steps/s per seed, then the mean over seeds (against the target, for Pendulum-v1).
 *
 * <p>{@code --sb3} runs Stable-Baselines3 side by side on the same env, resolved config, budget and seeds
 * ({@link Sb3Process}), alternating which side goes first from seed to seed, prints one summary table and writes
 * the learning curves of both to a PNG ({@link ComparisonPlot}). {@code --train-loop} instead measures the training
 * loop's throughput: a short run with updates from step {@code learningStarts}=100 on, reporting env-steps/s.
 */
@Command(name = "bench-learning", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains on several seeds through the env server and prints a table (bin/bench-learning).")
public final class LearningBenchmark implements Callable<Integer> {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Option(names = "--env", defaultValue = "Pendulum-v1", description = "Environment (default: ${DEFAULT-VALUE}).")
  String envId;

  @Option(names = "--algo", defaultValue = "ddpg",
      description = "ddpg or td3: the presets file and learner defaults (default: ${DEFAULT-VALUE}).")
  String algo;

  @Option(names = "--seeds", defaultValue = "0,1,2,3,4", split = ",",
      description = "Seeds, run sequentially (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Option(names = "--steps", description = "Environment steps per seed (default: the preset's; 20000 for"
      + " Pendulum-v1; 3000 with --train-loop).")
  Long steps;

  @Option(names = "--eval-episodes", defaultValue = "10",
      description = "Deterministic episodes of the final evaluation (default: ${DEFAULT-VALUE}).")
  int evalEpisodes;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Sets one config key for every run, both sides (repeatable), as gymlink train --set.")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--sb3", description = "Also train Stable-Baselines3 on every seed (bin/bench-learning sets it up"
      + " in .bench-venv) and print the side-by-side table and curves.")
  boolean sb3;

  @Option(names = "--sb3-command", defaultValue = "${env:GYMLINK_SB3_COMMAND}", paramLabel = "CMD",
      description = "Command running envserver-adapter/scripts/sb3_learning.py (default: $GYMLINK_SB3_COMMAND, set"
          + " by bin/bench-learning --sb3).")
  String sb3Command;

  @Option(names = "--torch-threads", defaultValue = "1",
      description = "torch threads of the SB3 side (default: ${DEFAULT-VALUE}, as gymlink's BLAS).")
  int torchThreads;

  @Option(names = "--plot-dir", defaultValue = "docs/results",
      description = "Where the learning-curve PNG <env>-<algo>.png goes (default: ${DEFAULT-VALUE}).")
  Path plotDir;

  @Option(names = "--train-loop", description = "Measure training-loop env-steps/s instead: a short run per seed"
      + " with updates from step 100 on, no intermediate evaluations.")
  boolean trainLoop;

  @Option(names = "--min-each", description = "Target: every seed's final mean return at least this (default:"
      + " -200 for Pendulum-v1, else none).")
  Double minEach;

  @Option(names = "--min-mean", description = "Target: the mean over seeds at least this (default: -160 for"
      + " Pendulum-v1, else none).")
  Double minMean;

  @Option(names = "--server", description = "Env server host:port (default: start a local one).")
  String server;

  @Option(names = "--out", description = "Directory for the runs (default: runs/bench-learning-<timestamp>).")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LearningBenchmark()).execute(args));
  }

  @Override
  public Integer call() {
    Path root = out != null ? out : Path.of("runs", (trainLoop ? "bench-train-loop-" : "bench-learning-")
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Sb3Process sb3Process = sb3 ? new Sb3Process(sb3CommandWords(), torchThreads) : null;
    if (sb3Process != null) {
      sb3Process.check(config(seeds.get(0)).toMap(), root.resolve("sb3-check"));
    }
    String loadBefore = SideBySideTable.loadAverage();
    List<SeedResult> gymlinkResults = new ArrayList<>();
    List<SeedResult> sb3Results = new ArrayList<>();
    String sb3Versions = "";
    LocalEnvServer local = server == null ? LocalEnvServer.start(
        LocalEnvServer.resolveCommand(null, System.getenv()), List.of("--log-level", "warning"),
        LocalEnvServer.DEFAULT_START_TIMEOUT, System.err) : null;
    try (EnvFactory factory = EnvFactories.forServer(local != null ? local.target() : server,
        ClientConfig.defaults())) {
      for (int i = 0; i < seeds.size(); i++) {
        long seed = seeds.get(i);
        RunConfig config = config(seed);
        // Alternate which side goes first, so that a drift in the machine's load does not favour one side.
        boolean sb3First = sb3Process != null && i % 2 == 1;
        if (sb3First) {
          sb3Versions = runSb3(sb3Process, config, root, seed, sb3Results);
        }
        gymlinkResults.add(runGymlink(factory, config, root.resolve("seed-" + seed)));
        if (sb3Process != null && !sb3First) {
          sb3Versions = runSb3(sb3Process, config, root, seed, sb3Results);
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
    RunConfig first = config(seeds.get(0));
    SideBySideTable.print(System.out, new SideBySideTable.Setting(envId, first.td3().algorithmName(),
        first.train().totalTimesteps(), evalEpisodes, blasThreads(), torchThreads, sb3Versions), gymlinkResults,
        sb3Results, loadBefore);
    printTargets(gymlinkResults);
    if (!trainLoop) {
      System.out.println("learning curves: " + writePlot(root, first));
    }
    System.out.println("runs (metrics.csv, evaluations.csv, " + LearningCurvePlot.FILE + " per seed): " + root);
    return 0;
  }

  private SeedResult runGymlink(EnvFactory factory, RunConfig config, Path runDir) {
    Integer maxSteps = config.train().maxEpisodeSteps();
    int repeat = config.train().actionRepeat();
    try (Env env = factory.make(envId, Map.of(), maxSteps, repeat);
        Env evalEnv = factory.make(envId, Map.of(), maxSteps, repeat);
        ProgressReporter progress = ProgressReporter.forConsole(envId + " seed " + config.train().seed(),
            config.train().logInterval())) {
      RunContext context = new RunContext(runDir, progress, Versions.current(),
          server == null ? RunContext.LOCAL_SERVER : server);
      Trainer.Result result = Trainer.start(config, env, evalEnv, context).run();
      EvaluationResult eval = result.finalEvaluation();
      return new SeedResult(config.train().seed(), eval.mean(), eval.std(), result.wallSeconds(),
          result.stepsPerSecond());
    }
  }

  private static String runSb3(Sb3Process process, RunConfig config, Path root, long seed, List<SeedResult> into) {
    Sb3Process.Details details = process.run(config.toMap(), root.resolve("sb3-seed-" + seed));
    into.add(details.result());
    return details.versions();
  }

  private RunConfig config(long seed) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    sets.forEach((key, value) -> overrides.put(key, parseValue(key, value)));
    overrides.put("seed", seed);
    overrides.put("evalEpisodes", evalEpisodes);
    overrides.put("logInterval", 2000);
    if (trainLoop) {
      overrides.put("totalTimesteps", steps != null ? steps : 3000L);
      overrides.put("learningStarts", 100);
      overrides.put("evalFreq", 0);
      overrides.put("checkpointFreq", 0);
    } else if (steps != null) {
      overrides.put("totalTimesteps", steps);
    }
    return ConfigResolver.withBundledPresets(algo).resolve(envId, null, overrides).config();
  }

  private void printTargets(List<SeedResult> results) {
    boolean pendulum = envId.equals("Pendulum-v1");
    Double each = minEach != null ? minEach : pendulum ? Double.valueOf(-200) : null;
    Double mean = minMean != null ? minMean : pendulum ? Double.valueOf(-160) : null;
    double average = SideBySideTable.mean(results, SeedResult::mean);
    double worst = results.stream().mapToDouble(SeedResult::mean).min().orElse(Double.NaN);
    System.out.println();
    System.out.printf(Locale.ROOT, "gymlink mean over %d seeds: %.1f ± %.1f (worst seed %.1f)%n", results.size(),
        average, SideBySideTable.std(results, SeedResult::mean), worst);
    if (!trainLoop && (each != null || mean != null)) {
      boolean met = (each == null || worst >= each) && (mean == null || average >= mean);
      System.out.printf(Locale.ROOT, "target (%s): %s%n", (each == null ? "" : "every seed >= " + each)
          + (each != null && mean != null ? ", " : "") + (mean == null ? "" : "mean >= " + mean),
          met ? "met" : "NOT met");
    }
  }

  private Path writePlot(Path root, RunConfig config) {
    List<Path> gymlinkFiles = seeds.stream()
        .map(seed -> root.resolve("seed-" + seed).resolve(MetricsWriter.EVALUATIONS_FILE)).toList();
    List<Path> sb3Files = sb3 ? seeds.stream()
        .map(seed -> root.resolve("sb3-seed-" + seed).resolve(MetricsWriter.EVALUATIONS_FILE)).toList() : List.of();
    String algorithm = config.td3().algorithmName();
    String title = String.format(Locale.ROOT, "%s, %s, %d steps, seeds %s", envId, algorithm,
        config.train().totalTimesteps(), seeds.toString().replaceAll("[\\[\\] ]", ""));
    try {
      return ComparisonPlot.write(plotDir.resolve(envId + "-" + algo + ".png"), title, List.of(
          new ComparisonPlot.Side("gymlink " + algorithm, new Color(200, 60, 30), gymlinkFiles),
          new ComparisonPlot.Side("SB3 " + algorithm, new Color(20, 70, 160), sb3Files)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the learning curves to " + plotDir + ": " + e.getMessage(), e);
    }
  }

  private List<String> sb3CommandWords() {
    if (sb3Command == null || sb3Command.isBlank()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--sb3 needs the SB3 script's command: run"
          + " bin/bench-learning --sb3 (it installs .bench-venv and sets GYMLINK_SB3_COMMAND), or pass --sb3-command");
    }
    return List.of(sb3Command.trim().split("\\s+"));
  }

  private static int blasThreads() {
    String threads = System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", System.getenv("OMP_NUM_THREADS"));
    try {
      return threads == null ? 1 : Integer.parseInt(threads.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  private static Object parseValue(String key, String value) {
    try {
      return YAML.readValue(value, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("--set " + key + "=" + value + ": not a YAML value", e);
    }
  }
}
