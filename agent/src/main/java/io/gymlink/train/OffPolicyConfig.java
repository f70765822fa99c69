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
 * @param bufferSize replay buffer capacity in transitions (SB3: 1_000_000)
 * @param learningStarts transitions of uniformly random actions before any update (SB3: 100)
 * @param trainFreq environment steps between training phases (SB3: 1)
 * @param gradientSteps gradient steps per training phase; -1 means as many as transitions collected (SB3: 1)
 * @param actionNoise exploration noise added to the actor's action: NONE, NORMAL (Gaussian) or ORNSTEIN_UHLENBECK
 * @param actionNoiseSigma noise standard deviation, as a fraction of the action range half-width (0.1)
 * @param normalizeObservations keep a running mean/std of observations and feed normalised ones to the networks
 */
public record OffPolicyConfig(
    int bufferSize,
    int learningStarts,
    int trainFreq,
    int gradientSteps,
    NoiseType actionNoise,
    double actionNoiseSigma,
    boolean normalizeObservations) {

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
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid off-policy config: " + String.join("; ", problems));
    }
  }

  /** SB3's {@code OffPolicyAlgorithm} defaults as DDPG and TD3 use them, with Gaussian noise of 0.1. */
  public static OffPolicyConfig defaults() {
    return new OffPolicyConfig(1_000_000, 100, 1, 1, NoiseType.NORMAL, 0.1, false);
  }

  /** Gradient steps per training phase: {@code gradientSteps}, or {@code trainFreq} when it is -1. */
  public int gradientStepsPerPhase() {
    return gradientSteps == -1 ? trainFreq : gradientSteps;
  }
}
