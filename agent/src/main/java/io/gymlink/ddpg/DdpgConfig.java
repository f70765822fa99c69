package io.gymlink.ddpg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DDPG / TD3 hyper-parameters, named as in Stable-Baselines3 so runs compare directly with SB3 and rl-zoo.
 *
 * <p>DDPG is TD3 with its three additions switched off, as in SB3: {@code twinCritics=false},
 * {@code policyDelay=1}, {@code targetPolicyNoise=0}. Defaults are SB3's {@code DDPG} defaults.
 *
 * @param learningRate Adam step size for actor and critic (SB3: 1e-3)
 * @param bufferSize replay buffer capacity in transitions (SB3: 1_000_000)
 * @param learningStarts environment steps of uniformly random actions before any update (SB3: 100)
 * @param batchSize transitions per gradient step (SB3: 256)
 * @param tau Polyak coefficient for the target networks, theta' = tau*theta + (1-tau)*theta' (SB3: 0.005)
 * @param gamma discount factor (SB3: 0.99)
 * @param trainFreq environment steps between training phases (SB3: 1)
 * @param gradientSteps gradient steps per training phase; -1 means as many as environment steps collected (SB3: 1)
 * @param actionNoise exploration noise added to the actor's action: NONE, NORMAL (Gaussian) or ORNSTEIN_UHLENBECK
 * @param actionNoiseSigma noise standard deviation, as a fraction of the action range half-width (0.1)
 * @param netArch hidden layer widths, shared by actor and critic (SB3 DDPG: [400, 300])
 * @param activation hidden activation: "relu" or "tanh" (SB3: relu)
 * @param twinCritics TD3: learn two critics and use the smaller target (false for DDPG)
 * @param policyDelay TD3: critic updates per actor and target update (1 for DDPG, 2 for TD3)
 * @param targetPolicyNoise TD3: std of Gaussian noise added to the target action (0 for DDPG, 0.2 for TD3)
 * @param targetNoiseClip TD3: absolute clip of that noise (0.5)
 * @param normalizeObservations keep a running mean/std of observations and feed normalised ones to the networks
 */
public record DdpgConfig(
    double learningRate,
    int bufferSize,
    int learningStarts,
    int batchSize,
    double tau,
    double gamma,
    int trainFreq,
    int gradientSteps,
    NoiseType actionNoise,
    double actionNoiseSigma,
    int[] netArch,
    String activation,
    boolean twinCritics,
    int policyDelay,
    double targetPolicyNoise,
    double targetNoiseClip,
    boolean normalizeObservations) {

  /** Kinds of exploration noise. */
  public enum NoiseType {
    NONE,
    NORMAL,
    ORNSTEIN_UHLENBECK
  }

  public DdpgConfig {
    netArch = netArch.clone();
    List<String> problems = new ArrayList<>();
    if (!(learningRate > 0 && learningRate < 1)) {
      problems.add("learningRate must be in (0, 1), got " + learningRate);
    }
    if (bufferSize < 1) {
      problems.add("bufferSize must be at least 1, got " + bufferSize);
    }
    if (learningStarts < 0) {
      problems.add("learningStarts must be >= 0, got " + learningStarts);
    }
    if (batchSize < 1) {
      problems.add("batchSize must be at least 1, got " + batchSize);
    }
    if (!(tau > 0 && tau <= 1)) {
      problems.add("tau must be in (0, 1], got " + tau);
    }
    if (!(gamma >= 0 && gamma <= 1)) {
      problems.add("gamma must be in [0, 1], got " + gamma);
    }
    if (trainFreq < 1) {
      problems.add("trainFreq must be at least 1, got " + trainFreq);
    }
    if (gradientSteps < 1 && gradientSteps != -1) {
      problems.add("gradientSteps must be at least 1 (or -1 for as many as steps collected), got " + gradientSteps);
    }
    if (actionNoise == null) {
      problems.add("actionNoise must be one of " + Arrays.toString(NoiseType.values()) + ", got null");
    }
    if (!(actionNoiseSigma >= 0)) {
      problems.add("actionNoiseSigma must be >= 0, got " + actionNoiseSigma);
    }
    if (netArch.length == 0 || Arrays.stream(netArch).anyMatch(width -> width < 1)) {
      problems.add("netArch must list at least one positive layer width, got " + Arrays.toString(netArch));
    }
    if (!"relu".equals(activation) && !"tanh".equals(activation)) {
      problems.add("activation must be \"relu\" or \"tanh\", got \"" + activation + "\"");
    }
    if (policyDelay < 1) {
      problems.add("policyDelay must be at least 1, got " + policyDelay);
    }
    if (!(targetPolicyNoise >= 0)) {
      problems.add("targetPolicyNoise must be >= 0, got " + targetPolicyNoise);
    }
    if (!(targetNoiseClip >= 0)) {
      problems.add("targetNoiseClip must be >= 0, got " + targetNoiseClip);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid DDPG config: " + String.join("; ", problems));
    }
  }

  /** SB3's DDPG defaults. */
  public static DdpgConfig defaults() {
    return new DdpgConfig(
        1e-3, 1_000_000, 100, 256, 0.005, 0.99, 1, 1, NoiseType.NORMAL, 0.1, new int[] {400, 300}, "relu", false, 1,
        0.0, 0.5, false);
  }

  /** SB3's TD3 defaults: DDPG plus twin critics, delayed policy updates and target policy smoothing. */
  public static DdpgConfig td3Defaults() {
    DdpgConfig d = defaults();
    return new DdpgConfig(
        d.learningRate, d.bufferSize, d.learningStarts, d.batchSize, d.tau, d.gamma, d.trainFreq, d.gradientSteps,
        d.actionNoise, d.actionNoiseSigma, d.netArch, d.activation, true, 2, 0.2, 0.5, d.normalizeObservations);
  }

  @Override
  public int[] netArch() {
    return netArch.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DdpgConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "DdpgConfig[learningRate=" + learningRate + ", bufferSize=" + bufferSize + ", learningStarts="
        + learningStarts + ", batchSize=" + batchSize + ", tau=" + tau + ", gamma=" + gamma + ", trainFreq="
        + trainFreq + ", gradientSteps=" + gradientSteps + ", actionNoise=" + actionNoise + ", actionNoiseSigma="
        + actionNoiseSigma + ", netArch=" + Arrays.toString(netArch) + ", activation=" + activation
        + ", twinCritics=" + twinCritics + ", policyDelay=" + policyDelay + ", targetPolicyNoise="
        + targetPolicyNoise + ", targetNoiseClip=" + targetNoiseClip + ", normalizeObservations="
        + normalizeObservations + "]";
  }
}
