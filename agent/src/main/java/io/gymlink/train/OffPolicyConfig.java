package io.gymlink.train;

import io.gymlink.noise.NoiseType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the off-policy loop collects experience and when it trains: the settings SB3 keeps in
 * {@code OffPolicyAlgorithm} (replay buffer, warm-up, train frequency, gradient steps, action noise), plus
 * observation normalisation. The learner's own hyper-parameters are in {@link io.gymlink.td3.Td3Config}.
 *
 * <p>With {@code numEnvs} N &gt; 1 the loop follows SB3's {@code OffPolicyAlgorithm} on a {@code VecEnv}: one
 * vector step collects N transitions, {@code trainFreq} counts vector steps, {@code learningStarts} counts
 * transitions, and {@code gradientSteps = -1} makes one gradient step per transition collected ({@code trainFreq}
 * x N per phase). The replay ratio, gradient steps per transition, is {@link #replayRatio()}; asynchronous
 * collection holds it on average instead of training in phases.
 *
 * @param bufferSize replay buffer capacity in transitions (SB3: 1_000_000)
 * @param learningStarts transitions of uniformly random actions before any update (SB3: 100)
 * @param trainFreq vector steps (with one env: environment steps) between training phases, or with
 *     {@code trainFreqUnit} EPISODE ended episodes (SB3: 1)
 * @param trainFreqUnit what {@code trainFreq} counts: STEP (default) or EPISODE, SB3's {@code train_freq=(n,
 *     "episode")}; EPISODE needs synchronous collection
 * @param gradientSteps gradient steps per training phase; -1 means one per transition collected (SB3: 1)
 * @param actionNoise exploration noise added to the actor's action: NONE, NORMAL (Gaussian) or ORNSTEIN_UHLENBECK
 * @param actionNoiseSigma noise standard deviation, as a fraction of the action range half-width (0.1)
 * @param normalizeObservations keep a running mean/std of observations and feed normalised ones to the networks
 * @param numEnvs training environments stepped together, N (SB3 {@code n_envs}; default 1)
 * @param asyncCollection collect in a thread of its own that keeps every env busy with the latest actor while the
 *     learner trains, at the replay ratio on average; gives up bit-reproducibility (default false)
 */
public record OffPolicyConfig(
    int bufferSize,
    int learningStarts,
    int trainFreq,
    TrainFreqUnit trainFreqUnit,
    int gradientSteps,
    NoiseType actionNoise,
    double actionNoiseSigma,
    boolean normalizeObservations,
    int numEnvs,
    boolean asyncCollection) {

  public OffPolicyConfig {
    List<String> problems = new ArrayList<>();
    if (bufferSize < 1) {
      problems.add("bufferSize must be at least 1, got " + bufferSize);
    }
    if (learningStarts < 0) {
      problems.add("learningStarts must be >= 0, got " + learningStarts);
    }
    if (trainFreq < 1) {
      problems.add("trainFreq must be at least 1, got " + trainFreq);
    }
    if (trainFreqUnit == null) {
      problems.add("trainFreqUnit must be one of " + Arrays.toString(TrainFreqUnit.values()) + ", got null");
    }
    if (trainFreqUnit == TrainFreqUnit.EPISODE && asyncCollection) {
      problems.add("trainFreqUnit EPISODE trains between whole episodes, which needs synchronous collection, but"
          + " asyncCollection is true (--async): drop --async, or train per step instead with --set trainFreq=1"
          + " --set trainFreqUnit=step (and gradientSteps -1 for one gradient step per transition)");
    }
    if (gradientSteps < 1 && gradientSteps != -1) {
      problems.add("gradientSteps must be at least 1 (or -1 for as many as transitions collected), got "
          + gradientSteps);
    }
    if (actionNoise == null) {
      problems.add("actionNoise must be one of " + Arrays.toString(NoiseType.values()) + ", got null");
    }
    if (!(actionNoiseSigma >= 0)) {
      problems.add("actionNoiseSigma must be >= 0, got " + actionNoiseSigma);
    }
    if (numEnvs < 1) {
      problems.add("numEnvs must be at least 1, got " + numEnvs);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid off-policy config: " + String.join("; ", problems));
    }
  }

  /** SB3's {@code OffPolicyAlgorithm} defaults as DDPG and TD3 use them, with Gaussian noise of 0.1. */
  public static OffPolicyConfig defaults() {
    return new OffPolicyConfig(1_000_000, 100, 1, TrainFreqUnit.STEP, 1, NoiseType.NORMAL, 0.1, false, 1, false);
  }

  /** Keys added after runs were first saved, with the value an older config without them means. */
  static final java.util.Map<String, Object> ADDED_KEY_DEFAULTS = java.util.Map.of("numEnvs", 1,
      "asyncCollection", false, "trainFreqUnit", TrainFreqUnit.STEP.name());

  /**
   * Gradient steps per training phase of {@code transitions} collected: {@code gradientSteps}, or with -1 the
   * transitions (with unit STEP always {@code trainFreq} x {@code numEnvs}).
   */
  public int gradientStepsPerPhase(int transitions) {
    return gradientSteps == -1 ? transitions : gradientSteps;
  }

  /**
   * Gradient steps per transition collected: 1 for {@code gradientSteps} -1, else with unit STEP
   * {@code gradientSteps / (trainFreq x numEnvs)}, with unit EPISODE NaN (it depends on the episodes' lengths).
   */
  public double replayRatio() {
    if (gradientSteps == -1) {
      return 1.0;
    }
    return trainFreqUnit == TrainFreqUnit.EPISODE ? Double.NaN : gradientSteps / ((double) trainFreq * numEnvs);
  }
}
