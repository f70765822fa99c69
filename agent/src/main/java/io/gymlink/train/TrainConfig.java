package io.gymlink.train;

import java.util.ArrayList;
import java.util.List;

/**
 * How a training run is driven: which environment, how long, how it is seeded, evaluated, checkpointed and logged.
 * The learner's hyper-parameters are in {@link io.gymlink.ddpg.DdpgConfig}.
 *
 * @param envId Gymnasium environment id, e.g. {@code Pendulum-v1}
 * @param totalTimesteps environment steps to train for (rl-zoo {@code n_timesteps}; default 100000)
 * @param seed seeds the training env's first reset, the run's RNG (warm-up actions, noise, sampling) and the
 *     networks' initialisation (default 0)
 * @param evalFreq environment steps between deterministic evaluations; 0 evaluates only at the end (default 5000)
 * @param evalEpisodes episodes per evaluation, on a separate env instance (default 10)
 * @param checkpointFreq environment steps between checkpoints; 0 checkpoints only at the end (default 10000)
 * @param saveReplayBuffer include the replay buffer in checkpoints, so a resumed run samples the same memory
 *     (default false: checkpoints stay small; a resumed run refills the buffer)
 * @param logInterval environment steps between progress log lines when the output is not a terminal (default 1000)
 * @param maxEpisodeSteps time limit to impose on the environment, or null for its registered one (default null)
 */
public record TrainConfig(
    String envId,
    long totalTimesteps,
    long seed,
    int evalFreq,
    int evalEpisodes,
    int checkpointFreq,
    boolean saveReplayBuffer,
    int logInterval,
    Integer maxEpisodeSteps) {

  public TrainConfig {
    List<String> problems = new ArrayList<>();
    if (envId == null || envId.isBlank()) {
      problems.add("envId must name an environment, got " + (envId == null ? "null" : "\"" + envId + "\""));
    }
    if (totalTimesteps < 1) {
      problems.add("totalTimesteps must be at least 1, got " + totalTimesteps);
    }
    if (evalFreq < 0) {
      problems.add("evalFreq must be >= 0 (0: only at the end), got " + evalFreq);
    }
    if (evalEpisodes < 1) {
      problems.add("evalEpisodes must be at least 1, got " + evalEpisodes);
    }
    if (checkpointFreq < 0) {
      problems.add("checkpointFreq must be >= 0 (0: only at the end), got " + checkpointFreq);
    }
    if (logInterval < 1) {
      problems.add("logInterval must be at least 1, got " + logInterval);
    }
    if (maxEpisodeSteps != null && maxEpisodeSteps < 1) {
      problems.add("maxEpisodeSteps must be at least 1 (or null for the env's own), got " + maxEpisodeSteps);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid training config: " + String.join("; ", problems));
    }
  }

  /** The documented defaults for {@code envId}. */
  public static TrainConfig defaults(String envId) {
    return new TrainConfig(envId, 100_000, 0, 5_000, 10, 10_000, false, 1_000, null);
  }
}
