package io.gymlink.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.cli.GymlinkVersion;
import io.gymlink.cli.LocalEnvServer;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.vector.RemoteVectorConfig;
import io.gymlink.vector.RemoteVectorEnv;
import io.gymlink.vector.ServerTargets;
import io.gymlink.vector.VectorStepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Aggregate env-steps/s of {@link RemoteVectorEnv} for N sub-environments over S local env servers, synchronous
 * ({@code step}) and asynchronous ({@code send}/{@code recv} of half the envs at a time, EnvPool style), printed as a
 * markdown table beside the in-process Gymnasium reference. Run it with {@code bin/bench-vector}.
 *
 * <p>Every cell gets a fresh vector env, a seeded reset, {@code --warmup-seconds} untimed stepping, then
 * {@code --seconds} timed; env-steps/s counts the rows answered (interrupted rows excluded, there should be none).
 * The whole grid is measured {@code --repeats} times, pass after pass, so that the cells alternate in time on a
 * shared machine; the table shows the best pass of each cell.
 */
@Command(
    name = "bench-vector",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Measures aggregate env-steps/s of the remote vector env over local env servers.")
public final class VectorBenchmark implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--envs", defaultValue = "Pendulum-v1,GymlinkTest/Sleep-v0", split = ",", paramLabel = "ID",
      description = "Environments, comma-separated (default: ${DEFAULT-VALUE}; Sleep-v0 sleeps 20 ms per step).")
  List<String> envIds;

  @Option(names = "--num-envs", defaultValue = "1,4,16,64", split = ",", paramLabel = "N",
      description = "Sub-environment counts (default: ${DEFAULT-VALUE}).")
  List<Integer> numEnvs;

  @Option(names = "--servers", defaultValue = "1,2,4", split = ",", paramLabel = "S",
      description = "Local env server counts (default: ${DEFAULT-VALUE}).")
  List<Integer> serverCounts;

  @Option(names = "--modes", defaultValue = "sync,async", split = ",", paramLabel = "MODE",
      description = "sync (step) and/or async (send/recv half of the envs at a time) (default: ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--async-streams", defaultValue = "1", paramLabel = "K",
      description = "Session streams per server in async mode (--streams-per-server); with K > 1 the halves of the"
          + " envs can overlap on the server (default: ${DEFAULT-VALUE}; sync always uses 1).")
  int asyncStreams;

  @Option(names = "--seconds", defaultValue = "2", paramLabel = "S",
      description = "Timed seconds per cell (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup-seconds", defaultValue = "0.5", paramLabel = "S",
      description = "Untimed seconds per cell before timing (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(names = "--repeats", defaultValue = "2", paramLabel = "R",
      description = "Passes over the whole grid; the table shows each cell's best (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--inprocess-json", paramLabel = "JSON",
      description = "JSON lines of 'python -m gymlink_envserver.bench_inprocess --json', one per measurement of the"
          + " in-process reference; bin/bench-vector passes two (before and after the grid).")
  List<String> inProcess = new ArrayList<>();

  @Option(names = "--envserver-command", paramLabel = "CMD",
      description = "Env server command (default: GYMLINK_ENVSERVER, else gymlink-envserver on the PATH).")
  String envserverCommand;

  private record Cell(String envId, String mode, int servers, int numEnvs) {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.log.io.gymlink.vector", "warn");
    System.exit(new CommandLine(new VectorBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (seconds <= 0 || warmupSeconds < 0 || repeats < 1 || asyncStreams < 1 || numEnvs.stream().anyMatch(n -> n < 1)
        || serverCounts.stream().anyMatch(s -> s < 1) || !List.of("sync", "async").containsAll(modes)) {
      throw new ParameterException(spec.commandLine(), "--seconds must be positive, --repeats, --num-envs and"
          + " --servers at least 1, --modes sync and/or async");
    }
    PrintWriter out = spec.commandLine().getOut();
    double loadBefore = load();
    int most = serverCounts.stream().mapToInt(Integer::intValue).max().orElse(1);
    List<LocalEnvServer> servers = new ArrayList<>();
    Map<Cell, Double> best = new LinkedHashMap<>();
    try {
      for (int s = 0; s < most; s++) {
        servers.add(LocalEnvServer.start(LocalEnvServer.resolveCommand(envserverCommand, System.getenv()),
            List.of("--test-envs", "--max-instances", "0", "--log-level", "warning"),
            LocalEnvServer.DEFAULT_START_TIMEOUT, null));
      }
      for (int pass = 0; pass < repeats; pass++) {
        for (String envId : envIds) {
          for (String mode : modes) {
            for (int s : serverCounts) {
              for (int n : numEnvs) {
                Cell cell = new Cell(envId, mode, s, n);
                double rate = measure(cell, servers.subList(0, s));
                best.merge(cell, rate, Math::max);
                System.err.printf(Locale.ROOT, "pass %d: %s %s S=%d N=%d: %,.0f env-steps/s%n", pass + 1, envId,
                    mode, s, n, rate);
              }
            }
          }
        }
      }
    } finally {
      servers.forEach(LocalEnvServer::close);
    }
    out.print(report(best, loadBefore, load()));
    out.flush();
    return 0;
  }

  private double measure(Cell cell, List<LocalEnvServer> servers) {
    String targets = String.join(",", servers.stream().map(LocalEnvServer::target).toList());
    boolean async = cell.mode().equals("async");
    RemoteVectorConfig config = RemoteVectorConfig.of(cell.envId(), cell.numEnvs())
        .withStreamsPerServer(async ? asyncStreams : 1);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(targets), config)) {
      BoxValue actions = sampleActions(env.singleActionSpace(), cell.numEnvs(), new Random(0));
      env.reset(0L);
      run(env, actions, async, (long) (warmupSeconds * 1e9));
      long start = System.nanoTime();
      long steps = run(env, actions, async, (long) (seconds * 1e9));
      return steps / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** Steps for {@code nanos}; returns the env-steps answered (interrupted rows not counted). */
  private static long run(RemoteVectorEnv env, BoxValue actions, boolean async, long nanos) {
    long end = System.nanoTime() + nanos;
    long steps = 0;
    int n = env.numEnvs();
    int dim = env.singleActionSpace().size();
    if (!async) {
      while (System.nanoTime() < end) {
        steps += answered(env.step(actions));
      }
      return steps;
    }
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    env.send(actions, all);
    while (System.nanoTime() < end) {
      VectorStepResult r = env.recv(Math.max(1, n / 2));
      steps += answered(r);
      float[] rows = new float[r.size() * dim];
      for (int k = 0; k < r.size(); k++) {
        System.arraycopy(actions.data(), r.envIds()[k] * dim, rows, k * dim, dim);
      }
      env.send(new BoxValue(rows, new int[] {r.size(), dim}), r.envIds());
    }
    env.recv(n);
    return steps;
  }

  private static long answered(VectorStepResult r) {
    long count = 0;
    for (boolean lost : r.interrupted()) {
      count += lost ? 0 : 1;
    }
    return count;
  }

  private static BoxValue sampleActions(BoxSpace space, int n, Random random) {
    int dim = space.size();
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(space.sample(random).asBox().data(), 0, data, i * dim, dim);
    }
    return new BoxValue(data, new int[] {n, dim});
  }

  private String report(Map<Cell, Double> best, double loadBefore, double loadAfter) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "Aggregate env-steps/s of RemoteVectorEnv, local env servers on loopback;"
        + " best of %d passes, %.1f s per cell; %s, %d cores; load average %.1f before, %.1f after%n%n", repeats,
        seconds, cpuName(), Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter));
    out.append("| env | mode | servers |");
    numEnvs.forEach(n -> out.append(" N=").append(n).append(" |"));
    out.append("\n|---|---|---:|");
    numEnvs.forEach(n -> out.append("---:|"));
    out.append('\n');
    for (String envId : envIds) {
      for (String mode : modes) {
        for (int s : serverCounts) {
          out.append("| ").append(envId).append(" | ").append(mode).append(" | ").append(s).append(" |");
          for (int n : numEnvs) {
            out.append(String.format(Locale.ROOT, " %,.0f |", best.get(new Cell(envId, mode, s, n))));
          }
          out.append('\n');
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    double reference = 0;
    for (String line : inProcess) {
      var node = json.readTree(line);
      reference = reference == 0 ? node.path("steps_per_s").asDouble() : reference;
      out.append(String.format(Locale.ROOT, "%nin-process Gymnasium %s (one env, one core, Python): %,.0f steps/s",
          node.path("env").asText(), node.path("steps_per_s").asDouble()));
    }
    out.append('\n');
    int most = numEnvs.stream().mapToInt(Integer::intValue).max().orElse(1);
    for (String envId : envIds) {
      for (String mode : modes) {
        Double one = best.get(new Cell(envId, mode, 1, 1));
        Double sixteen = best.get(new Cell(envId, mode, 1, 16));
        Double top = best.get(new Cell(envId, mode, 1, most));
        if (one != null && sixteen != null) {
          out.append(String.format(Locale.ROOT, "%s %s, one server: N=16 / N=1 = %.1fx", envId, mode,
              sixteen / one));
          if (top != null && reference > 0 && envId.equals("Pendulum-v1")) {
            out.append(String.format(Locale.ROOT, "; N=%d = %.2fx in-process", most, top / reference));
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuName() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "unknown CPU";
    }
    return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
  }
}
