package io.gymlink.bench;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.train.ConfigResolver;
import io.gymlink.train.EvaluationResult;
import io.gymlink.train.LearningCurvePlot;
import io.gymlink.train.ProgressReporter;
import io.gymlink.train.RunConfig;
import io.gymlink.train.RunContext;
import io.gymlink.train.Trainer;
import io.gymlink.train.Versions;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The learning-quality benchmark: trains DDPG with the env's preset on several seeds, one after the other, through
 * the env server, and prints a markdown table of the final deterministic evaluation, wall time and env-steps/s per
 * seed, then the mean over seeds against the target. {@code --train-loop} instead measures the training loop's
 * throughput: a short run with updates from step {@code learningStarts}=100 on, reporting env-steps/s.
 */
@Command(name = "bench-learning", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Trains on several seeds through the env server and prints a table (bin/bench-learning).")
public final class LearningBenchmark implements Callable<Integer> {

  @Option(names = "--env", defaultValue = "Pendulum-v1", description = "Environment (default: ${DEFAULT-VALUE}).")
  String envId;

  @Option(names = "--seeds", defaultValue = "0,1,2,3,4", split = ",",
      description = "Seeds, run sequentially (default: ${DEFAULT-VALUE}).")
  List<Long> seeds;

  @Option(names = "--steps", description = "Environment steps per seed (default: the preset's; 20000 for"
      + " Pendulum-v1; 3000 with --train-loop).")
  Long steps;

  @Option(names = "--eval-episodes", defaultValue = "10",
      description = "Deterministic episodes of the final evaluation (default: ${DEFAULT-VALUE}).")
  int evalEpisodes;

  @Option(names = "--train-loop", description = "Measure training-loop env-steps/s instead: a short run per seed"
      + " with updates from step 100 on, no intermediate evaluations.")
  boolean trainLoop;

  @Option(names = "--min-each", defaultValue = "-200",
      description = "Target: every seed's final mean return at least this (default: ${DEFAULT-VALUE}).")
  double minEach;

  @Option(names = "--min-mean", defaultValue = "-160",
      description = "Target: the mean over seeds at least this (default: ${DEFAULT-VALUE}).")
  double minMean;

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
    List<String> rows = new ArrayList<>();
    List<Double> means = new ArrayList<>();
    LocalEnvServer local = server == null ? LocalEnvServer.start(
        LocalEnvServer.resolveCommand(null, System.getenv()), List.of("--log-level", "warning"),
        LocalEnvServer.DEFAULT_START_TIMEOUT, System.err) : null;
    try (EnvFactory factory = EnvFactories.forServer(local != null ? local.target() : server,
        ClientConfig.defaults())) {
      for (long seed : seeds) {
        RunConfig config = config(seed);
        Path runDir = root.resolve("seed-" + seed);
        try (Env env = factory.make(envId, Map.of(), null); Env evalEnv = factory.make(envId, Map.of(), null);
            ProgressReporter progress = ProgressReporter.forConsole(envId + " seed " + seed,
                config.train().logInterval())) {
          RunContext context = new RunContext(runDir, progress, Versions.current(),
              server == null ? RunContext.LOCAL_SERVER : server);
          Trainer.Result result = Trainer.start(config, env, evalEnv, context).run();
          EvaluationResult eval = result.finalEvaluation();
          means.add(eval.mean());
          rows.add(String.format(Locale.ROOT, "| %d | %.1f ± %.1f | %.0f s | %.1f |", seed, eval.mean(), eval.std(),
              result.wallSeconds(), result.stepsPerSecond()));
        }
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
    printTable(rows, means, root);
    return 0;
  }

  private RunConfig config(long seed) {
    Map<String, Object> overrides = new LinkedHashMap<>();
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
    return ConfigResolver.withBundledPresets("ddpg").resolve(envId, null, overrides).config();
  }

  private void printTable(List<String> rows, List<Double> means, Path root) {
    RunConfig config = config(seeds.get(0));
    System.out.println();
    System.out.printf("%s, %s netArch %s, %d steps per seed, final evaluation over %d deterministic episodes%n",
        envId, config.td3().algorithmName(), config.td3().netArch(), config.train().totalTimesteps(), evalEpisodes);
    System.out.println("(steps/s: env-steps per second of training, evaluation time excluded; wall time includes it)");
    System.out.println();
    System.out.println("| seed | final eval return (mean ± std) | wall time | steps/s |");
    System.out.println("|---|---|---|---|");
    rows.forEach(System.out::println);
    double mean = means.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double std = Math.sqrt(means.stream().mapToDouble(m -> (m - mean) * (m - mean)).average().orElse(Double.NaN));
    double worst = means.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    System.out.println();
    System.out.printf(Locale.ROOT, "mean over %d seeds: %.1f ± %.1f (worst seed %.1f)%n", means.size(), mean, std,
        worst);
    if (!trainLoop) {
      boolean met = worst >= minEach && mean >= minMean;
      System.out.printf(Locale.ROOT, "target (every seed >= %.0f, mean >= %.0f): %s%n", minEach, minMean,
          met ? "met" : "NOT met");
    }
    System.out.println("runs (metrics.csv, " + LearningCurvePlot.FILE + ", checkpoint/ per seed): " + root);
  }
}
