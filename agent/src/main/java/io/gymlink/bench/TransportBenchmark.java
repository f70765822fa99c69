package io.gymlink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.cli.EnvServerOptions;
import io.gymlink.cli.GymlinkVersion;
import io.gymlink.cli.ServerConnection;
import io.gymlink.client.EnvFactories;
import io.gymlink.client.EnvFactory;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.SpaceValue;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures what one environment step costs through each transport on loopback and prints a markdown table next to
 * the in-process floor (Gymnasium stepping in the server's own Python, measured by
 * {@code python -m gymlink_envserver.bench_inprocess}).
 *
 * <p>Each transport gets a fresh environment, a seeded reset, {@code --warmup} untimed steps (JIT, connection and
 * server caches), then {@code --steps} timed steps with actions sampled up front. Latency is per {@code step} call;
 * steps/s is timed steps over the wall time of the whole loop, resets included — the same definitions as the
 * in-process floor. Run it with {@code bin/bench-transport}.
 */
@Command(
    name = "bench-transport",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Measures per-step latency (p50/p99) and steps/s of each env-server transport on loopback.")
public final class TransportBenchmark implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--env", defaultValue = "Pendulum-v1", paramLabel = "ID",
      description = "Environment to step (default: ${DEFAULT-VALUE}).")
  String envId;

  @Option(names = "--steps", defaultValue = "20000", paramLabel = "N",
      description = "Timed steps per transport (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "2000", paramLabel = "N",
      description = "Untimed steps before timing each transport (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seeds the reset and the sampled actions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--inprocess-json", paramLabel = "JSON",
      description = "The one JSON line of 'python -m gymlink_envserver.bench_inprocess --json' (keys p50_us, p99_us,"
          + " steps_per_s), shown as the floor row; bin/bench-transport passes it.")
  String inProcessJson;

  @Option(names = "--java-echo",
      description = "Also time the session stream against an in-JVM Java echo server (fixed answers, no Python, no"
          + " environment): the cost of the Java client and HTTP/2 on loopback alone.")
  boolean javaEcho;

  @Option(names = "--http-server", paramLabel = "URL",
      description = "gym-http-api address (http://host:port) for the HTTP row; default: the local env server's"
          + " HTTP port (started with --http-port 0). With --server and without this, there is no HTTP row.")
  String httpServer;

  @Mixin
  EnvServerOptions serverOptions;

  /** One row of the table: a transport and how to make an environment through it. */
  private record Transport(String name, Function<GrpcEnvFactory, Env> make) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new TransportBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (steps < 100 || warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--steps must be at least 100 and --warmup at least 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Transport> transports = List.of(
        new Transport("gRPC unary (Step RPC)", f -> f.makeUnary(envId, Map.of(), null)),
        new Transport("gRPC session stream (lockstep)", f -> f.make(envId, Map.of(), null)));
    List<LatencyStats> rows = new ArrayList<>();
    try (ServerConnection connection = serverOptions.connect(List.of("--http-port", "0"))) {
      GrpcEnvFactory factory = (GrpcEnvFactory) connection.factory();
      for (Transport transport : transports) {
        try (Env env = transport.make().apply(factory)) {
          rows.add(measure(transport.name(), env));
        }
      }
      String http = httpServer != null ? httpServer
          : connection.localServer() != null ? connection.localServer().httpTarget() : null;
      if (http != null) {
        try (EnvFactory httpFactory = EnvFactories.forServer(http, serverOptions.clientConfig());
            Env env = httpFactory.make(envId, Map.of(), null)) {
          rows.add(measure("gym-http-api (HTTP/1.1 keep-alive, JSON)", env));
        }
      }
      out.printf(Locale.ROOT, "%s, %d timed steps per row after %d warm-up steps, client and server on loopback (%s);"
          + " load average %.1f on %d cores%n%n", envId, steps, warmup, connection.describe(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
    if (javaEcho) {
      try (EchoSessionServer echo = EchoSessionServer.start();
          GrpcEnvFactory factory = GrpcEnvFactory.forTarget(echo.target(), serverOptions.clientConfig());
          Env env = factory.make(envId, Map.of(), null)) {
        rows.add(measure("gRPC session stream, Java echo server (no Python)", env));
      }
    }
    if (inProcessJson != null && !inProcessJson.isBlank()) {
      JsonNode floor = new ObjectMapper().readTree(inProcessJson);
      rows.add(0, new LatencyStats("in-process Gymnasium (floor, Python)", floor.path("steps").asInt(),
          floor.path("p50_us").asDouble(), floor.path("p99_us").asDouble(), floor.path("steps_per_s").asDouble()));
    }
    out.print(table(rows));
    out.flush();
    return 0;
  }

  private LatencyStats measure(String name, Env env) {
    Random random = new Random(seed);
    List<SpaceValue> actions = new ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      actions.add(env.actionSpace().sample(random));
    }
    env.reset(seed, Map.of());
    for (int i = 0; i < warmup; i++) {
      if (env.step(actions.get(i % steps)).episodeOver()) {
        env.reset();
      }
    }
    env.reset(seed, Map.of());
    long[] latencies = new long[steps];
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      long before = System.nanoTime();
      StepResult step = env.step(actions.get(i));
      latencies[i] = System.nanoTime() - before;
      if (step.episodeOver()) {
        env.reset();
      }
    }
    return LatencyStats.of(name, latencies, System.nanoTime() - start);
  }

  static String table(List<LatencyStats> rows) {
    StringBuilder out = new StringBuilder();
    out.append("| transport | step p50 (µs) | step p99 (µs) | steps/s |\n");
    out.append("|---|---:|---:|---:|\n");
    for (LatencyStats row : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %,.0f |%n", row.transport(), row.p50Micros(),
          row.p99Micros(), row.stepsPerSecond()));
    }
    return out.toString();
  }
}
