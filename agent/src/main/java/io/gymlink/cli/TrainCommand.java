package io.gymlink.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gymlink.env.Env;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointException;
import io.gymlink.train.CheckpointMismatchException;
import io.gymlink.train.CheckpointStore;
import io.gymlink.train.ConfigResolver;
import io.gymlink.train.DdpgSpaces;
import io.gymlink.train.ProgressReporter;
import io.gymlink.train.RunConfig;
import io.gymlink.train.RunContext;
import io.gymlink.train.Trainer;
import io.gymlink.train.Versions;
import io.gymlink.vector.VectorEnv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink train}: trains DDPG on an environment of an env server, with the rl-zoo style presets, and writes
 * metrics, the learning curve, evaluations and checkpoints to a run directory; {@code --resume} continues a run.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = {"Trains a DDPG or TD3 agent on a Gymnasium environment with a Box action space.",
        "Config layers, later ones winning: code defaults < presets (hyperparams/<algo>.yml in the jar: 'default'"
            + " and the env's section) < --config FILE < --set KEY=VALUE < --steps/--seed/--action-repeat.",
        "Writes DIR/metrics.csv, DIR/evaluations.csv, DIR/config.json, DIR/learning_curve.png and DIR/checkpoint/."},
    footer = {"%nExamples:%n  gymlink train --env Pendulum-v1",
        "  gymlink train --env Pendulum-v1 --steps 5000 --seed 3 --set netArch=[64,64] --out runs/quick",
        "  gymlink train --env HalfCheetah-v5 --algo td3",
        "  gymlink train --env Pendulum-v1 --num-envs 8 --async",
        "  gymlink train --env L2M2019Env --action-repeat 4 --num-envs 4 --async",
        "  gymlink train --resume runs/quick --steps 10000",
        "%nExit codes: 0 ok, 1 environment or server error, 2 usage error (bad flag, config or checkpoint)."})
public final class TrainCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long Ctrl-C waits for the checkpoint of an interrupted run. */
  private static final long CHECKPOINT_ON_INTERRUPT_TIMEOUT_SECONDS = 60;

  @Spec
  private CommandSpec spec;

  @Option(names = "--env", paramLabel = "ID",
      description = "Gymnasium environment id, e.g. Pendulum-v1 (required unless --resume).")
  String envId;

  @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "ddpg",
      description = "ddpg or td3 (TD3: twin critics, delayed policy updates, target policy smoothing); picks the"
          + " presets hyperparams/<algo>.yml (default: ${DEFAULT-VALUE}).")
  String algo;

  @Option(names = "--steps", paramLabel = "N",
      description = "Environment steps to train for: totalTimesteps (default: the preset's, 20000 for Pendulum-v1)."
          + " With --resume: the new total.")
  Long steps;

  @Option(names = "--seed", paramLabel = "S",
      description = "Seed of the env's first reset, exploration, replay sampling and network initialisation"
          + " (default: 0).")
  Long seed;

  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML file with config keys (the same keys as the presets; flat or under the env id).")
  Path configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Sets one config key, e.g. --set gamma=0.99 --set netArch=[64,64] (repeatable).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--save-replay-buffer",
      description = "Always include the replay buffer in checkpoints (saveReplayBuffer=true), so that --resume"
          + " continues with the same transitions. Default (saveReplayBuffer=auto): included when a full buffer"
          + " fits in 1 GiB.")
  boolean saveReplayBuffer;

  @Option(names = "--num-envs", paramLabel = "N",
      description = "Training envs stepped together (numEnvs, SB3 n_envs; default 1). trainFreq then counts vector"
          + " steps of N transitions, learningStarts counts transitions, gradientSteps -1 is one gradient step per"
          + " transition. Evaluation keeps its own single env.")
  Integer numEnvs;

  @Option(names = "--action-repeat", paramLabel = "K",
      description = "Frame skip (actionRepeat; default 1): the env server applies each action K times, summing the"
          + " rewards and stopping at the frame that ends the episode, so one request covers K frames. Training and"
          + " evaluation envs alike; recorded in config.json and reused by --resume, eval, rollout and submit. Step"
          + " counts (--steps, evalFreq, learningStarts, ...) count agent steps (transitions), not frames; the env's"
          + " time limit counts frames. gRPC env servers only.")
  Integer actionRepeat;

  @Option(names = "--async",
      description = "Asynchronous collection (asyncCollection=true): a collector thread keeps every env busy with"
          + " the latest actor while the learner trains continuously, holding the replay ratio, gradientSteps /"
          + " (trainFreq x numEnvs) or 1 for gradientSteps -1, on average. Faster with slow envs or many of them;"
          + " runs are no longer bit-reproducible.")
  boolean asyncCollection;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Run directory (default: runs/<env>-<yyyyMMdd-HHmmss> under the current directory).")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue the run in DIR from its last checkpoint (its config, unless --steps gives a new"
          + " total), on the env server the run used unless --server is given; outputs go to DIR.")
  Path resume;

  @Option(names = "--print-config",
      description = "Print the resolved config (every key, after all layers) as JSON on stdout and exit, without"
          + " training or starting an env server; e.g. for running the same config elsewhere (bin/bench-learning"
          + " --sb3 does).")
  boolean printConfig;

  @Mixin
  EnvServerOptions serverOptions;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Checkpoint checkpoint = resume == null ? null : loadCheckpoint();
    RunConfig config = checkpoint == null ? resolveConfig() : resumedConfig(checkpoint);
    if (printConfig) {
      printJson(config, stdout);
      return 0;
    }
    String env = config.train().envId();
    Path runDir = resume != null ? resume : out != null ? out : defaultRunDir(env);

    if (resume != null) {
      reuseRecordedServer();
    }
    Integer maxEpisodeSteps = config.train().maxEpisodeSteps();
    int repeat = config.train().actionRepeat();
    if (repeat > 1) {
      LOG.info("action repeat {}: each action is applied for {} frames on the env server; step counts count agent"
          + " steps", repeat, repeat);
    }
    try (ServerConnection connection = serverOptions.connect(List.of());
        Env evalEnv = connection.factory().make(env, Map.of(), maxEpisodeSteps, repeat);
        VectorEnv trainEnvs = makeTrainEnvs(connection, env, evalEnv, config);
        ProgressReporter progress = ProgressReporter.forConsole(env, config.train().logInterval())) {
      LOG.info("env server: {}", connection.describe());
      RunContext context = new RunContext(runDir, progress, Versions.current(),
          connection.localServer() == null ? serverOptions.server : RunContext.LOCAL_SERVER);
      Trainer trainer;
      try {
        trainer = checkpoint == null
            ? Trainer.start(config, trainEnvs, evalEnv, context)
            : Trainer.resume(resume, checkpoint, config, trainEnvs, evalEnv, context);
      } catch (CheckpointMismatchException | CheckpointException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      return runUntilDoneOrInterrupted(trainer, env, runDir, stdout);
    }
  }

  /** The training envs, after checking on the evaluation env that DDPG can use the env's spaces at all. */
  private static VectorEnv makeTrainEnvs(ServerConnection connection, String env, Env evalEnv, RunConfig config) {
    DdpgSpaces.requireBoundedBoxActions(env, evalEnv.actionSpace());
    DdpgSpaces.requireBoxObservations(env, evalEnv.observationSpace());
    int numEnvs = config.offPolicy().numEnvs();
    if (numEnvs > 1) {
      LOG.info("making {} training envs of {}", numEnvs, env);
    }
    return connection.makeVector(env, numEnvs, config.train().maxEpisodeSteps(), config.train().actionRepeat());
  }

  /**
   * Runs the trainer; on Ctrl-C or SIGTERM a shutdown hook asks it to stop, and holds the JVM's shutdown until the
   * trainer has written its checkpoint, so that {@code --resume} continues from the moment of interruption.
   */
  private static int runUntilDoneOrInterrupted(Trainer trainer, String env, Path runDir, PrintWriter stdout) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread stopper = new Thread(() -> {
      trainer.requestStop();
      try {
        finished.await(CHECKPOINT_ON_INTERRUPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "gymlink-train-stopper");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      Trainer.Result result = trainer.run();
      stdout.printf("%s: %d steps, %s%n", env, result.steps(), result.interrupted()
          ? "interrupted; continue with: gymlink train --resume " + runDir
          : "final evaluation " + result.finalEvaluation().summary());
      stdout.printf("run directory: %s%n", runDir.toAbsolutePath().normalize());
      stdout.flush();
      return result.interrupted() ? GymlinkCli.EXIT_INTERRUPTED : 0;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already shutting down; the hook has run or is running and returns now.
      }
    }
  }

  private Checkpoint loadCheckpoint() {
    if (envId != null || configFile != null || !sets.isEmpty() || seed != null || out != null
        || saveReplayBuffer || actionRepeat != null || !"ddpg".equals(algo)) {
      throw new ParameterException(spec.commandLine(),
          "--resume continues a run with its own config and directory; only --steps, --num-envs, --async and"
              + " server options may be given with it");
    }
    try {
      return CheckpointStore.load(resume);
    } catch (CheckpointException e) {
      throw new ParameterException(spec.commandLine(), "--resume: " + e.getMessage(), e);
    }
  }

  private RunConfig resolveConfig() {
    if (envId == null) {
      throw new ParameterException(spec.commandLine(), "missing --env (or --resume DIR)");
    }
    Map<String, Object> overrides = new LinkedHashMap<>();
    sets.forEach((key, value) -> overrides.put(key, parseValue(key, value)));
    if (steps != null) {
      overrides.put("totalTimesteps", steps);
    }
    if (seed != null) {
      overrides.put("seed", seed);
    }
    if (saveReplayBuffer) {
      overrides.put("saveReplayBuffer", true);
    }
    if (actionRepeat != null) {
      overrides.put("actionRepeat", actionRepeat);
    }
    putCollectionFlags(overrides);
    try {
      ConfigResolver.Resolved resolved =
          ConfigResolver.withBundledPresets(algo).resolve(envId, configFile, overrides);
      LOG.info("config for {} {} ({}):", algo, envId, String.join(" < ", resolved.layers()));
      logConfig(resolved.config());
      return resolved.config();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** --num-envs and --async, which a resumed run may change too (they do not change what is learned). */
  private void putCollectionFlags(Map<String, Object> overrides) {
    if (numEnvs != null) {
      overrides.put("numEnvs", numEnvs);
    }
    if (asyncCollection) {
      overrides.put("asyncCollection", true);
    }
  }

  private static void printJson(RunConfig config, PrintWriter stdout) {
    try {
      stdout.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config.toMap()));
      stdout.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the config as JSON: " + e.getMessage(), e);
    }
  }

  private RunConfig resumedConfig(Checkpoint checkpoint) {
    RunConfig config = checkpoint.config();
    Map<String, Object> map = config.toMap();
    if (steps != null) {
      if (steps <= checkpoint.numTimesteps()) {
        throw new ParameterException(spec.commandLine(), "--steps " + steps + " must be above the checkpoint's "
            + checkpoint.numTimesteps() + " steps");
      }
      map.put("totalTimesteps", steps);
    }
    putCollectionFlags(map);
    try {
      config = RunConfig.fromMap(map);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    LOG.info("config for {} (from checkpoint {}{}):", config.train().envId(), resume,
        steps == null && numEnvs == null && !asyncCollection ? "" : ", with the command line's --steps, --num-envs"
            + " or --async");
    logConfig(config);
    return config;
  }

  /**
   * Without --server, {@code --resume} steps the env server recorded in the run's config.json (a local one is
   * started anew, as the run's was); says which in one line.
   */
  private void reuseRecordedServer() {
    if (serverOptions.server != null) {
      return;
    }
    Path file = resume.resolve("config.json");
    String recorded = null;
    try {
      recorded = JSON.readTree(file.toFile()).path("server").asText(null);
    } catch (IOException e) {
      LOG.warn("cannot read the env server of the run from {} ({}); starting a local env server", file,
          e.getMessage());
      return;
    }
    if (recorded == null || RunContext.LOCAL_SERVER.equals(recorded)) {
      LOG.info("resuming on a new local env server{}", recorded == null ? " (" + file + " records no server)"
          : ", as the run used one");
    } else {
      serverOptions.server = recorded;
      LOG.info("resuming on the run's env server {} (from {}); give --server to use another", recorded, file);
    }
  }

  private static void logConfig(RunConfig config) {
    config.toMap().forEach((key, value) -> LOG.info("  {} = {}", key, value));
  }

  private Object parseValue(String key, String value) {
    try {
      return YAML.readValue(value, Object.class);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--set " + key + "=" + value + ": not a YAML value ("
          + e.getMessage().lines().findFirst().orElse("") + ")");
    }
  }

  static Path defaultRunDir(String envId) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("runs", envId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + stamp);
  }
}
