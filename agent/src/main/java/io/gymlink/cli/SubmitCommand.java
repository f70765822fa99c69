package io.gymlink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.EnvTarget;
import io.gymlink.client.HttpEnvFactory;
import io.gymlink.client.HttpGymEnv;
import io.gymlink.env.ActionRepeatEnv;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointException;
import io.gymlink.train.CheckpointMismatchException;
import io.gymlink.train.CheckpointStore;
import io.gymlink.train.DeterministicPolicy;
import io.gymlink.train.DdpgSpaces;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink submit}: runs a trained policy through a challenge grader's whole flow (the NeurIPS osim-rl
 * grader protocol: create with token and version, monitor start, reset, step ... until reset answers a null
 * observation, monitor close for the score, close) and prints the score. A checkpoint trained with an action repeat
 * K has each action sent K times (the grader steps frame by frame), stopping when the grader ends the episode.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Submits a trained policy to a challenge grader (gym-http-api with the osim-rl grader flow, e.g."
        + " gymlink-envserver --grader) and prints the score.",
    footer = {"%nExamples:%n  gymlink submit --grader http://127.0.0.1:5000 --token MY_TOKEN"
        + " --checkpoint runs/L2M2019Env-20250101-120000",
        "  gymlink submit --grader http://127.0.0.1:5000 --token MY_TOKEN --random-policy --env L2M2019Env",
        "%nExit codes: 0 scored, 1 refused by the grader or a server error, 2 usage error (bad flag or checkpoint)."})
public final class SubmitCommand implements Callable<Integer> {

  /** The osim-rl version reported by default: the one envserver-adapter's {@code [osim]} extra installs. */
  public static final String OSIM_RL_VERSION = "3.0.11";

  @Spec
  private CommandSpec spec;

  @Option(names = "--grader", required = true, paramLabel = "URL",
      description = "The grader: http://host:port.")
  String grader;

  @Option(names = "--token", required = true, paramLabel = "T", description = "Your participant token.")
  String token;

  @Option(names = "--checkpoint", paramLabel = "DIR",
      description = "A run directory (its checkpoint/ is used) or a checkpoint directory.")
  Path checkpointPath;

  @Option(names = "--random-policy",
      description = "Submit uniformly random actions (one per frame) instead of a checkpoint: the baseline a trained"
          + " policy's score is compared with; needs --env.")
  boolean randomPolicy;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of --random-policy's actions (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--env", paramLabel = "ID",
      description = "Environment id to ask the grader for (default: the checkpoint's).")
  String envId;

  @Option(names = "--client-version", paramLabel = "V", defaultValue = OSIM_RL_VERSION,
      description = "osim-rl version to report; the grader requires an exact match (default: ${DEFAULT-VALUE}).")
  String clientVersion;

  @Option(names = "--call-timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "Deadline for each request, in seconds; osim steps can be slow (default: ${DEFAULT-VALUE}).")
  double callTimeoutSeconds;

  @Override
  public Integer call() {
    EnvTarget target;
    try {
      target = EnvTarget.parse(grader);
    } catch (EnvException e) {
      throw new ParameterException(spec.commandLine(), "--grader: " + e.getMessage());
    }
    if (!target.scheme().equals("http") || !(callTimeoutSeconds > 0)) {
      throw new ParameterException(spec.commandLine(), "--grader must be http://host:port and --call-timeout"
          + " positive, got " + grader + " and " + callTimeoutSeconds);
    }
    if (randomPolicy == (checkpointPath != null) || randomPolicy && envId == null) {
      throw new ParameterException(spec.commandLine(), "give either --checkpoint DIR or --random-policy with --env ID,"
          + " got " + (checkpointPath == null ? "neither" : "both") + (envId == null ? " and no --env" : ""));
    }
    Duration timeout = Duration.ofNanos(Math.round(callTimeoutSeconds * 1e9));
    PrintWriter out = spec.commandLine().getOut();
    if (randomPolicy) {
      return submitRandom(target, timeout, out);
    }
    Checkpoint checkpoint;
    try {
      checkpoint = CheckpointStore.load(checkpointPath);
    } catch (CheckpointException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage(), e);
    }
    String env = envId != null ? envId : checkpoint.envId();
    try (HttpEnvFactory factory = HttpEnvFactory.forTarget(target, new ClientConfig(timeout, timeout));
        HttpGymEnv session = factory.make(env, Map.of(), null, Map.of("token", token, "version", clientVersion))) {
      try {
        checkpoint.checkCompatible(checkpointPath.toString(), env,
            DdpgSpaces.requireBoxObservations(env, session.observationSpace()).size(),
            DdpgSpaces.requireBoundedBoxActions(env, session.actionSpace()));
      } catch (CheckpointMismatchException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      out.printf("submitting %s (step %d) to %s as instance %s%n", checkpointPath, checkpoint.numTimesteps(),
          target, session.instanceId());
      int repeat = checkpoint.config().train().actionRepeat();
      if (repeat > 1) {
        out.printf("action repeat %d (the checkpoint's actionRepeat): each action is sent to the grader %d times,"
            + " fewer when the grader ends the episode%n", repeat, repeat);
      }
      out.flush();
      double score = runFlow(session, new ActionRepeatEnv(session, repeat),
          DeterministicPolicy.fromCheckpoint(checkpoint), out);
      out.printf(Locale.ROOT, "score %.6f%n", score);
      out.flush();
    }
    return 0;
  }

  /** The grader's flow with uniformly random actions from the env's action space, seeded by {@code --seed}. */
  private int submitRandom(EnvTarget target, Duration timeout, PrintWriter out) {
    try (HttpEnvFactory factory = HttpEnvFactory.forTarget(target, new ClientConfig(timeout, timeout));
        HttpGymEnv session = factory.make(envId, Map.of(), null,
            Map.of("token", token, "version", clientVersion))) {
      BoxSpace actions = DdpgSpaces.requireBoundedBoxActions(envId, session.actionSpace());
      SplitMix64Random random = new SplitMix64Random(seed);
      out.printf("submitting a uniformly random policy (seed %d) to %s as instance %s%n", seed, target,
          session.instanceId());
      out.flush();
      double score = runFlow(session, new ActionRepeatEnv(session, 1),
          observation -> actions.sample(random).data(), out);
      out.printf(Locale.ROOT, "score %.6f%n", score);
      out.flush();
    }
    return 0;
  }

  /**
   * Monitor start, every episode the grader hands out (stepped through {@code env}, which repeats each action on the
   * session), monitor close; returns the grader's score.
   */
  private static double runFlow(HttpGymEnv session, ActionRepeatEnv env, UnaryOperator<float[]> policy,
      PrintWriter out) {
    Map<String, Object> monitor = new LinkedHashMap<>();
    monitor.put("directory", "tmp");
    monitor.put("force", true);
    monitor.put("resume", false);
    monitor.put("video_callable", false);
    session.post("monitor/start/", monitor);
    for (int episode = 1; ; episode++) {
      BoxValue observation;
      try {
        observation = env.reset().observation().asBox();
      } catch (HttpGymEnv.NoMoreEpisodesException allSeedsDone) {
        break;
      }
      double episodeReturn = 0;
      int length = 0;
      int actions = 0;
      StepResult result;
      do {
        result = env.step(BoxValue.of(policy.apply(observation.data())));
        observation = result.observation().asBox();
        episodeReturn += result.reward();
        length += env.lastFrames();
        actions++;
      } while (!result.episodeOver());
      out.printf(Locale.ROOT, "episode %d: return %.3f, length %d%s%n", episode, episodeReturn, length,
          env.repeat() > 1 ? " (" + actions + " policy actions)" : "");
      out.flush();
    }
    JsonNode closed = session.post("monitor/close/", null);
    if (closed == null || !closed.path("reward").isNumber()) {
      throw new EnvServerException("the grader answered monitor/close/ with " + closed
          + ", expected {\"reward\": score}");
    }
    return closed.get("reward").asDouble();
  }
}
