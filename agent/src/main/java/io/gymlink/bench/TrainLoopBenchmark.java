package io.gymlink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gymlink.cli.EnvServerOptions;
import io.gymlink.cli.ServerConnection;
import io.gymlink.env.Env;
import io.gymlink.train.ConfigResolver;
import io.gymlink.train.ProgressReporter;
import io.gymlink.train.RunConfig;
import io.gymlink.train.RunContext;
import io.gymlink.train.Trainer;
import io.gymlink.train.Versions;
import io.gymlink.vector.VectorEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The training loop's throughput with many envs: trains the same config with 1 env synchronously (the single-env
 * trainer) and with N envs, synchronously and with asynchronous collection, through the env server(s) the CLI would
 * use, and prints a markdown table of transitions per second. The cases run alternately, {@code --repeats} times,
 * so that a drift in the machine's load hits them all alike.
 */
@Command(name = "bench-train-loop", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Training-loop transitions/s with N envs, sync and async, side by side (bin/bench-train-loop).")
public final class TrainLoopBenchmark implements Callable<Integer> {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Option(names = "--env", defaultValue = "Pendulum-v1",
      description = "Environment (default: ${DEFAULT-VALUE}; GymlinkTest/Sleep-v0 sleeps 20 ms per step).")
  String envId;

  @Option(names = "--cases", defaultValue = "1,4,4a,16a", split = ",",
      description = "Cases to compare: N envs synchronously, or Na for N envs with asynchronous collection"
          + " (default: ${DEFAULT-VALUE}); the first is the reference of the speed-up column.")
  List<String> cases;

  @Option(names = "--steps", defaultValue = "3000",
      description = "Transitions per run (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--repeats", defaultValue = "2", description = "Runs of each case (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Sets a config key for every case, e.g. --set netArch=[256,256] (default: the env's preset"
          + " with learningStarts=100).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--replay-ratio", paramLabel = "R", defaultValue = "1",
      description = "Gradient steps per transition for every case, an integer m or a fraction 1/k; each case gets"
          + " the trainFreq and gradientSteps that make it: R = gradientSteps / (trainFreq x numEnvs)"
          + " (default: ${DEFAULT-VALUE}).")
  String replayRatio;

  @Option(names = "--out", description = "Directory for the runs (default: runs/bench-train-loop-<timestamp>).")
  Path out;

  @Mixin
  EnvServerOptions serverOptions;

  /** One configuration to measure: N envs, sync or async. */
  record Case(int numEnvs, boolean async) {
    static Case parse(String text) {
      String t = text.trim();
      boolean async = t.endsWith("a");
      try {
        return new Case(Integer.parseInt(async ? t.substring(0, t.length() - 1) : t), async);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("case '" + text + "' is not N or Na (N envs, a: asynchronous)", e);
      }
    }

    String label() {
      return numEnvs + (numEnvs == 1 ? " env, " : " envs, ") + (async ? "async" : "sync");
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainLoopBenchmark()).execute(args));
  }

  @Override
  public Integer call() {
    Path root = out != null ? out : Path.of("runs", "bench-train-loop-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    List<Case> parsed = cases.stream().map(Case::parse).toList();
    String loadBefore = loadAverage();
    List<List<Trainer.Result>> results = new ArrayList<>();
    parsed.forEach(c -> results.add(new ArrayList<>()));
    try (ServerConnection connection = serverOptions.connect(List.of("--test-envs"))) {
      System.err.println("env server: " + connection.describe());
      for (int r = 0; r < repeats; r++) {
        for (int i = 0; i < parsed.size(); i++) {
          // Alternate the order from one repeat to the next (ABBA), so no case always runs on a warmer machine.
          int index = r % 2 == 0 ? i : parsed.size() - 1 - i;
          Case c = parsed.get(index);
          results.get(index).add(run(connection, c, root.resolve(c.numEnvs() + (c.async() ? "a" : "") + "-" + r)));
        }
      }
    }
    print(parsed, results, loadBefore);
    return 0;
  }

  private Trainer.Result run(ServerConnection connection, Case c, Path runDir) {
    RunConfig config = config(c);
    Integer limit = config.train().maxEpisodeSteps();
    try (Env evalEnv = connection.factory().make(envId, Map.of(), limit);
        VectorEnv envs = connection.makeVector(envId, c.numEnvs(), limit);
        ProgressReporter progress = ProgressReporter.forConsole(envId + " " + c.label(), (int) steps)) {
      RunContext context = new RunContext(runDir, progress, Versions.current(), "bench");
      return Trainer.start(config, envs, evalEnv, context).run();
    }
  }

  RunConfig config(Case c) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("learningStarts", 100);
    overrides.put("evalFreq", 0);
    overrides.put("evalEpisodes", 1);
    overrides.put("checkpointFreq", 0);
    overrides.put("saveReplayBuffer", false);
    sets.forEach((key, value) -> overrides.put(key, parse(key, value)));
    overrides.put("totalTimesteps", steps);
    overrides.put("numEnvs", c.numEnvs());
    overrides.put("asyncCollection", c.async());
    overrides.putAll(trainFreqAndGradientSteps(replayRatio, c.numEnvs()));
    return ConfigResolver.withBundledPresets("ddpg").resolve(envId, null, overrides).config();
  }

  /** trainFreq and gradientSteps giving {@code ratio} ("m" or "1/k") gradient steps per transition with N envs. */
  static Map<String, Object> trainFreqAndGradientSteps(String ratio, int numEnvs) {
    String r = ratio.trim();
    if (r.startsWith("1/")) {
      int k = Integer.parseInt(r.substring(2));
      if (k % numEnvs == 0) {
        return Map.of("trainFreq", k / numEnvs, "gradientSteps", 1);
      }
      if (numEnvs % k == 0) {
        return Map.of("trainFreq", 1, "gradientSteps", numEnvs / k);
      }
      throw new IllegalArgumentException("--replay-ratio " + ratio + " cannot be made with " + numEnvs
          + " envs: k must divide or be a multiple of numEnvs");
    }
    int m = Integer.parseInt(r);
    if (m < 1) {
      throw new IllegalArgumentException("--replay-ratio must be an integer >= 1 or 1/k, got " + ratio);
    }
    return Map.of("trainFreq", 1, "gradientSteps", m * numEnvs);
  }

  private static Object parse(String key, String value) {
    try {
      return YAML.readValue(value, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("--set " + key + "=" + value + ": not a YAML value", e);
    }
  }

  private void print(List<Case> parsed, List<List<Trainer.Result>> results, String loadBefore) {
    RunConfig first = config(parsed.get(0));
    System.out.println();
    System.out.printf(Locale.ROOT, "%s, %s netArch %s, batch %d, %d transitions per run (learningStarts %d),"
            + " %d run(s) per case, alternating%n", envId, first.td3().algorithmName(), first.td3().netArch(),
        first.td3().batchSize(), steps, first.offPolicy().learningStarts(), repeats);
    System.out.printf("CPU: %s; OMP_NUM_THREADS %s; load average before: %s, after: %s%n", cpuModel(),
        System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), loadBefore, loadAverage());
    System.out.println("(transitions/s: the whole run, warm-up included, evaluation excluded)");
    System.out.println();
    System.out.println("| case | trainFreq, gradientSteps | replay ratio set / achieved | gradient steps |"
        + " learner / collector waited | transitions/s (each run) | vs " + parsed.get(0).label() + " |");
    System.out.println("|---|---|---:|---:|---|---|---:|");
    double reference = median(results.get(0));
    for (int i = 0; i < parsed.size(); i++) {
      RunConfig config = config(parsed.get(i));
      List<Trainer.Result> runs = results.get(i);
      StringBuilder each = new StringBuilder();
      for (Trainer.Result result : runs) {
        each.append(each.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f",
            result.stepsPerSecond()));
      }
      Trainer.Result last = runs.get(runs.size() - 1);
      String waited = parsed.get(i).async() ? String.format(Locale.ROOT, "%.0f%% / %.0f%%",
          100 * last.learnerWaitSeconds() / last.wallSeconds(), 100 * last.collectorWaitSeconds() / last.wallSeconds())
          : "";
      System.out.printf(Locale.ROOT, "| %s | %d, %d | %.4g / %.4g | %d | %s | %s | %.2f× |%n", parsed.get(i).label(),
          config.offPolicy().trainFreq(), config.offPolicy().gradientSteps(), config.offPolicy().replayRatio(),
          last.replayRatio(), last.gradientSteps(), waited, each, median(runs) / reference);
    }
  }

  private static double median(List<Trainer.Result> runs) {
    double[] rates = runs.stream().mapToDouble(Trainer.Result::stepsPerSecond).sorted().toArray();
    return rates.length % 2 == 1 ? rates[rates.length / 2]
        : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown") + " ("
          + Runtime.getRuntime().availableProcessors() + " CPUs)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
