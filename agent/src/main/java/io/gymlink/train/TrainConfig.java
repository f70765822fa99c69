package io.gymlink.train;

import io.gymlink.client.EnvFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a training run is driven: which environment and algorithm, how long, how it is seeded, evaluated,
 * checkpointed and logged. How experience is collected is in {@link OffPolicyConfig}; the learner's
 * hyper-parameters are in {@link io.gymlink.td3.Td3Config}.
 *
 * @param envId Gymnasium environment id, e.g. {@code Pendulum-v1}
 * @param algo "ddpg" or "td3": picks the presets file ({@code hyperparams/<algo>.yml}) and the learner's defaults
 *     (default "ddpg")
 * @param totalTimesteps environment steps to train for (rl-zoo {@code n_timesteps}; default 100000)
 * @param seed seeds the training env's first reset, the run's RNG (warm-up actions, noise, sampling) and the
 *     networks' initialisation (default 0)
 * @param evalFreq environment steps between deterministic evaluations; 0 evaluates only at the end (default 5000)
 * @param evalEpisodes episodes per evaluation, on a separate env instance (default 10)
 * @param checkpointFreq environment steps between checkpoints; 0 checkpoints only at the end (default 10000)
 * @param saveReplayBuffer include the replay buffer in checkpoints, so a resumed run samples the same memory:
 *     true, false, or auto (default: when a full buffer fits in 1 GiB)
 * @param logInterval environment steps between progress log lines when the output is not a terminal (default 1000)
 * @param maxEpisodeSteps time limit to impose on the environment, or null for its registered one (default null)
 * @param actionRepeat frame skip: the env server applies each action this many times, summing the rewards and
 *     stopping at the frame that ends the episode; one agent step (one transition; what totalTimesteps, evalFreq and
 *     the other step counts count) is then up to K frames of the env, whose time limit still counts frames; training
 *     and evaluation envs alike; gRPC env servers only (default 1: no repeat)
 */
public record TrainConfig(
    String envId,
    String algo,
    long totalTimesteps,
    long seed,
    int evalFreq,
    int evalEpisodes,
    int checkpointFreq,
    ReplayBufferSaving saveReplayBuffer,
    int logInterval,
    Integer maxEpisodeSteps,
    int actionRepeat) {

  /** The algorithms {@code algo} may name. */
  public static final Set<String> ALGOS = Set.of("ddpg", "td3");

  /** Defaults of keys added after the first release, for configs (config.json, checkpoints) written before them. */
  static final Map<String, Object> ADDED_KEY_DEFAULTS = Map.of("actionRepeat", 1);

  public TrainConfig {
    List<String> problems = new ArrayList<>();
    if (envId == null || envId.isBlank()) {
      problems.add("envId must name an environment, got " + (envId == null ? "null" : "\"" + envId + "\""));
    }
    if (!ALGOS.contains(algo)) {
      problems.add("algo must be \"ddpg\" or \"td3\", got " + (algo == null ? "null" : "\"" + algo + "\""));
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
    if (saveReplayBuffer == null) {
      problems.add("saveReplayBuffer must be true, false or auto, got null");
    }
    if (logInterval < 1) {
      problems.add("logInterval must be at least 1, got " + logInterval);
    }
    if (maxEpisodeSteps != null && maxEpisodeSteps < 1) {
      problems.add("maxEpisodeSteps must be at least 1 (or null for the env's own), got " + maxEpisodeSteps);
    }
    if (actionRepeat < 1 || actionRepeat > EnvFactory.MAX_ACTION_REPEAT) {
      problems.add("actionRepeat must be 1 (no repeat) to " + EnvFactory.MAX_ACTION_REPEAT + ", got " + actionRepeat);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid training config: " + String.join("; ", problems));
    }
  }

  /** The documented defaults for {@code envId} and {@code algo}. */
  public static TrainConfig defaults(String envId, String algo) {
    return new TrainConfig(envId, algo, 100_000, 0, 5_000, 10, 10_000, ReplayBufferSaving.AUTO, 1_000, null, 1);
  }
}
