package io.gymlink.cli;

import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gymlink rollout}: runs a uniformly random policy for a few episodes and prints each episode's return and
 * length — a quick check that an environment and the server work.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Runs a random policy (actions sampled uniformly from the action space) and prints each"
        + " episode's return and length, then a summary.",
    footer = {"%nExample:%n  gymlink rollout --env Pendulum-v1 --episodes 3",
        "%nExit codes: 0 ok, 1 environment or server error, 2 usage error."})
public final class RolloutCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--env", required = true, paramLabel = "ID",
      description = "Gymnasium environment id, e.g. Pendulum-v1 or CartPole-v1.")
  String envId;

  @Option(names = "--episodes", defaultValue = "3", paramLabel = "N",
      description = "Number of episodes to run (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED",
      description = "Seeds the first reset of the environment and the random policy, so a rollout can be repeated"
          + " exactly (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-episode-steps", paramLabel = "STEPS",
      description = "Time limit per episode, overriding the environment's registered one (default: registered).")
  Integer maxEpisodeSteps;

  @Option(names = "--action-repeat", paramLabel = "K", defaultValue = "1",
      description = "Frames each action is applied for on the env server, rewards summed (default: ${DEFAULT-VALUE},"
          + " no repeat); lengths then count agent steps. gRPC env servers only.")
  int actionRepeat;

  @Mixin
  EnvServerOptions serverOptions;

  @Override
  public Integer call() {
    if (episodes < 1) {
      throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
    }
    if (maxEpisodeSteps != null && maxEpisodeSteps < 1) {
      throw new ParameterException(spec.commandLine(), "--max-episode-steps must be at least 1, got "
          + maxEpisodeSteps);
    }
    if (actionRepeat < 1 || actionRepeat > EnvFactory.MAX_ACTION_REPEAT) {
      throw new ParameterException(spec.commandLine(), "--action-repeat must be 1 to " + EnvFactory.MAX_ACTION_REPEAT
          + ", got " + actionRepeat);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ServerConnection connection = serverOptions.connect(List.of());
        Env env = connection.factory().make(envId, Map.of(), maxEpisodeSteps, actionRepeat)) {
      out.printf("rollout of a random policy on %s at %s, seed %d%s%n", envId, connection.describe(), seed,
          actionRepeat > 1 ? ", action repeat " + actionRepeat : "");
      out.printf("observation space %s%naction space      %s%n", env.observationSpace(), env.actionSpace());
      double[] returns = new double[episodes];
      long[] lengths = new long[episodes];
      Random random = new Random(seed);
      for (int episode = 0; episode < episodes; episode++) {
        // Seed only the first reset, as Gymnasium recommends: later episodes continue the seeded RNG.
        env.reset(episode == 0 ? seed : null, Map.of());
        StepResult step;
        do {
          step = env.step(env.actionSpace().sample(random));
          returns[episode] += step.reward();
          lengths[episode]++;
        } while (!step.episodeOver());
        out.printf(Locale.ROOT, "episode %d: return %.3f, length %d (%s)%n", episode + 1, returns[episode],
            lengths[episode], step.terminated() ? "terminated" : "truncated");
        out.flush();
      }
      out.println(summary(returns, lengths));
    }
    return 0;
  }

  static String summary(double[] returns, long[] lengths) {
    int n = returns.length;
    double mean = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double meanLength = 0;
    for (int i = 0; i < n; i++) {
      mean += returns[i] / n;
      min = Math.min(min, returns[i]);
      max = Math.max(max, returns[i]);
      meanLength += (double) lengths[i] / n;
    }
    double variance = 0;
    for (double r : returns) {
      variance += (r - mean) * (r - mean) / n;
    }
    return String.format(Locale.ROOT, "%d episodes: mean return %.3f ± %.3f (min %.3f, max %.3f), mean length %.1f",
        n, mean, Math.sqrt(variance), min, max, meanLength);
  }
}
