package io.gymlink.td3;

import java.util.ArrayList;
import java.util.List;

/**
 * The learner's hyper-parameters, named as in Stable-Baselines3's {@code TD3} so runs compare directly with SB3 and
 * rl-zoo. How experience is collected (buffer, warm-up, train frequency, noise) is the training loop's, in
 * {@code io.gymlink.train.OffPolicyConfig}.
 *
 * <p>DDPG is TD3 with its three additions switched off, as in SB3: {@code twinCritics=false},
 * {@code policyDelay=1}, {@code targetPolicyNoise=0} ({@link #ddpg()}); {@link #td3()} switches them on.
 *
 * @param learningRate Adam step size for actor and critic (SB3: 1e-3)
 * @param batchSize transitions per gradient step (SB3: 256)
 * @param tau Polyak coefficient for the target networks, theta' = tau*theta + (1-tau)*theta' (SB3: 0.005)
 * @param gamma discount factor (SB3: 0.99)
 * @param netArch hidden layer widths, shared by actor and critic (SB3 DDPG/TD3: [400, 300])
 * @param activation hidden activation: "relu" or "tanh" (SB3: relu)
 * @param twinCritics TD3: learn two critics and use the smaller target (SB3 {@code n_critics=2}; false for DDPG)
 * @param policyDelay TD3: critic updates per actor and target update (1 for DDPG, 2 for TD3)
 * @param targetPolicyNoise TD3: std of Gaussian noise added to the target action (0 for DDPG, 0.2 for TD3)
 * @param targetNoiseClip TD3: absolute clip of that noise (0.5)
 */
public record Td3Config(
    double learningRate,
    int batchSize,
    double tau,
    double gamma,
    List<Integer> netArch,
    String activation,
    boolean twinCritics,
    int policyDelay,
    double targetPolicyNoise,
    double targetNoiseClip) {

  public Td3Config {
    List<String> problems = new ArrayList<>();
    if (!(learningRate > 0 && learningRate < 1)) {
      problems.add("learningRate must be in (0, 1), got " + learningRate);
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
    if (netArch == null || netArch.isEmpty() || netArch.stream().anyMatch(width -> width == null || width < 1)) {
      problems.add("netArch must list at least one positive layer width, got " + netArch);
    } else {
      netArch = List.copyOf(netArch);
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
      throw new IllegalArgumentException("invalid learner config: " + String.join("; ", problems));
    }
  }

  /** SB3's DDPG defaults: TD3 with twin critics, delayed policy updates and target policy smoothing off. */
  public static Td3Config ddpg() {
    return new Td3Config(1e-3, 256, 0.005, 0.99, List.of(400, 300), "relu", false, 1, 0.0, 0.5);
  }

  /** SB3's TD3 defaults: DDPG plus twin critics, delayed policy updates and target policy smoothing. */
  public static Td3Config td3() {
    return new Td3Config(1e-3, 256, 0.005, 0.99, List.of(400, 300), "relu", true, 2, 0.2, 0.5);
  }

  /** The hidden layer widths as an array. */
  public int[] hiddenWidths() {
    return netArch.stream().mapToInt(Integer::intValue).toArray();
  }

  /** "TD3" when all three of TD3's additions are on, "DDPG" when all are off, otherwise a description. */
  public String algorithmName() {
    boolean plain = !twinCritics && policyDelay == 1 && targetPolicyNoise == 0;
    boolean full = twinCritics && policyDelay > 1 && targetPolicyNoise > 0;
    return plain ? "DDPG" : full ? "TD3" : "DDPG with TD3 options";
  }
}
