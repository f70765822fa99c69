package io.gymlink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gymlink.cli.EnvServerOptions;
import io.gymlink.cli.ServerConnection;
import io.gymlink.env.Env;
import io.gymlink.train.ConfigResolver;
import io.gymlink.train.OffPolicyConfig;
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

  @Option(names = "--algo", defaultValue = "ddpg",
      description = "ddpg or td3: the presets file and learner defaults (default: ${DEFAULT-VALUE}).")
  String algo;

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
          + " the trainFreq (in steps, whatever the preset's unit) and gradientSteps that make it:"
          + " R = gradientSteps / (trainFreq x numEnvs)"
          + " (default: ${DEFAULT-VALUE}).")
  String replayRatio;

  @Option(names = "--sb3", description = "Also train Stable-Baselines3 (DDPG/TD3 as the config says, one env, the"
      + " config of the first case) alternating with the cases, and add its row (bin/bench-train-loop --sb3 finds"
      + " the benchmark venv).")
  boolean sb3;

  @Option(names = "--sb3-command", defaultValue = "${env:GYMLINK_SB3_COMMAND}", paramLabel = "CMD",
      description = "Command running envserver-adapter/scripts/sb3_learning.py (default: $GYMLINK_SB3_COMMAND, set"
          + " by bin/bench-train-loop --sb3).")
  String sb3Command;

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
    Sb3Process sb3Process = sb3 ? new Sb3Process(sb3CommandWords(), 1) : null;
    Map<String, Object> sb3Config = config(parsed.get(0)).toMap();
    if (sb3Process != null) {
      sb3Process.check(sb3Config, root.resolve("sb3-check"));
    }
    String loadBefore = SideBySideTable.loadAverage();
    List<List<Double>> rates = new ArrayList<>();
    List<Trainer.Result> lastRuns = new ArrayList<>();
    for (int i = 0; i <= parsed.size(); i++) {
      rates.add(new ArrayList<>());
      lastRuns.add(null);
    }
    try (ServerConnection connection = serverOptions.connect(List.of("--test-envs"))) {
      System.err.println("env server: " + connection.describe());
      int slots = parsed.size() + (sb3Process == null ? 0 : 1);
      for (int r = 0; r < repeats; r++) {
        for (int i = 0; i < slots; i++) {
          // Alternate the order from one repeat to the next (ABBA), so no case always runs on a warmer machine.
          int index = r % 2 == 0 ? i : slots - 1 - i;
          if (index == parsed.size()) {
            rates.get(index).add(sb3Process.run(sb3Config, root.resolve("sb3-" + r)).result().stepsPerSecond());
            continue;
          }
          Case c = parsed.get(index);
          Trainer.Result result = run(connection, c, root.resolve(c.numEnvs() + (c.async() ? "a" : "") + "-" + r));
          rates.get(index).add(result.stepsPerSecond());
          lastRuns.set(index, result);
        }
      }
    }
    print(parsed, rates, lastRuns, sb3Process != null, loadBefore);
    return 0;
  }

  private List<String> sb3CommandWords() {
    if (sb3Command == null || sb3Command.isBlank()) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--sb3 needs the SB3 script's command: run"
          + " bin/bench-train-loop --sb3 (it finds the benchmark venv and sets GYMLINK_SB3_COMMAND), or pass"
          + " --sb3-command");
    }
    return List.of(sb3Command.trim().split("\\s+"));
  }

  private Trainer.Result run(ServerConnection connection, Case c, Path runDir) {
    RunConfig config = config(c);
    Integer limit = config.train().maxEpisodeSteps();
    int repeat = config.train().actionRepeat();
    try (Env evalEnv = connection.factory().make(envId, Map.of(), limit, repeat);
        VectorEnv envs = connection.makeVector(envId, c.numEnvs(), limit, repeat);
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
    return ConfigResolver.withBundledPresets(algo).resolve(envId, null, overrides).config();
  }

  /**
   * trainFreq (in steps, whatever the preset's unit) and gradientSteps giving {@code ratio} ("m" or "1/k") gradient
   * steps per transition with N envs.
   */
  static Map<String, Object> trainFreqAndGradientSteps(String ratio, int numEnvs) {
    String r = ratio.trim();
    if (r.startsWith("1/")) {
      int k = Integer.parseInt(r.substring(2));
      if (k % numEnvs == 0) {
        return Map.of("trainFreq", k / numEnvs, "trainFreqUnit", "step", "gradientSteps", 1);
      }
      if (numEnvs % k == 0) {
        return Map.of("trainFreq", 1, "trainFreqUnit", "step", "gradientSteps", numEnvs / k);
      }
      throw new IllegalArgumentException("--replay-ratio " + ratio + " cannot be made with " + numEnvs
          + " envs: k must divide or be a multiple of numEnvs");
    }
    int m = Integer.parseInt(r);
    if (m < 1) {
      throw new IllegalArgumentException("--replay-ratio must be an integer >= 1 or 1/k, got " + ratio);
    }
    return Map.of("trainFreq", 1, "trainFreqUnit", "step", "gradientSteps", m * numEnvs);
  }

  private static Object parse(String key, String value) {
    try {
      return YAML.readValue(value, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("--set " + key + "=" + value + ": not a YAML value", e);
    }
  }

  private void print(List<Case> parsed, List<List<Double>> rates, List<Trainer.Result> lastRuns, boolean withSb3,
      String loadBefore) {
    RunConfig first = config(parsed.get(0));
    System.out.println();
    System.out.printf(Locale.ROOT, "%s, %s netArch %s, batch %d, %d transitions per run (learningStarts %d),"
            + " %d run(s) per case, alternating%n", envId, first.td3().algorithmName(), first.td3().netArch(),
        first.td3().batchSize(), steps, first.offPolicy().learningStarts(), repeats);
    System.out.printf("CPU: %s; OMP_NUM_THREADS %s; load average before: %s, after: %s%n", cpuModel(),
        System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"), loadBefore, SideBySideTable.loadAverage());
    System.out.println("(transitions/s: the whole run, warm-up included, evaluation excluded; waited: share of the"
        + " run the async learner waited for transitions / collection waited for the learner)");
    System.out.println();
    System.out.println("| case | trainFreq, gradientSteps | replay ratio set / achieved | gradient steps |"
        + " learner / collector waited | transitions/s (each run) | vs " + parsed.get(0).label() + " |");
    System.out.println("|---|---|---:|---:|---|---|---:|");
    double reference = median(rates.get(0));
    for (int i = 0; i < parsed.size(); i++) {
      OffPolicyConfig offPolicy = config(parsed.get(i)).offPolicy();
      Trainer.Result last = lastRuns.get(i);
      String waited = parsed.get(i).async() ? String.format(Locale.ROOT, "%.0f%% / %.0f%%",
          100 * last.learnerWaitSeconds() / last.wallSeconds(), 100 * last.collectorWaitSeconds() / last.wallSeconds())
          : "";
      System.out.printf(Locale.ROOT, "| gymlink, %s | %d, %d | %.4g / %.4g | %d | %s | %s | %.2f× |%n",
          parsed.get(i).label(), offPolicy.trainFreq(), offPolicy.gradientSteps(), offPolicy.replayRatio(),
          last.replayRatio(), last.gradientSteps(), waited, each(rates.get(i)), median(rates.get(i)) / reference);
    }
    if (withSb3) {
      List<Double> sb3Rates = rates.get(parsed.size());
      System.out.printf(Locale.ROOT, "| SB3 %s, 1 env (in-process Gymnasium) | %d, %d | %.4g | | | %s | %.2f× |%n",
          first.td3().algorithmName(), first.offPolicy().trainFreq(), first.offPolicy().gradientSteps(),
          first.offPolicy().replayRatio(), each(sb3Rates), median(sb3Rates) / reference);
      System.out.println();
      for (int i = 0; i < parsed.size(); i++) {
        System.out.printf(Locale.ROOT, "gymlink %s / SB3: %.2f×%n", parsed.get(i).label(),
            median(rates.get(i)) / median(sb3Rates));
      }
    }
  }

  private static String each(List<Double> rates) {
    StringBuilder each = new StringBuilder();
    for (double rate : rates) {
      each.append(each.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", rate));
    }
    return each.toString();
  }

  private static double median(List<Double> runs) {
    double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
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
