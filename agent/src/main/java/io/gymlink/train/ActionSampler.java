package io.gymlink.train;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.noise.ActionNoise;
import io.gymlink.noise.NormalActionNoise;
import io.gymlink.noise.OrnsteinUhlenbeckActionNoise;
import io.gymlink.td3.ActionScaler;
import java.util.Arrays;
import java.util.Random;

/**
 * Chooses the actions the training envs take (SB3's {@code _sample_action} with one {@code ActionNoise} per env):
 * uniformly random during warm-up, otherwise the actor's on normalised observations, then the env's own exploration
 * noise added in the scaled space [-1, 1] and clipped. Env {@code k}'s noise is reset when its episode ends.
 *
 * <p>Draws from its {@link Random} env by env in the order given: the warm-up action, then the noise. With one env
 * that is the draw order of the single-env loop before vector envs, so seeded runs stay bit-identical. Not
 * thread-safe: one collector owns one sampler.
 */
final class ActionSampler {

  /** A deterministic actor run on a batch: {@code [rows, observationDim]} in, {@code [rows, actionDim]} out. */
  @FunctionalInterface
  interface Actor {
    void predict(float[] observations, int rows, float[] actionsOut);
  }

  private final BoxSpace actionSpace;
  private final ActionScaler scaler;
  private final ObservationNormalizer normalizer;
  private final Random random;
  private final ActionNoise[] noises;

  /**
   * @param normalizer applied to observations before the actor, or null
   * @param random draws warm-up actions and feeds every env's noise
   */
  ActionSampler(BoxSpace actionSpace, OffPolicyConfig offPolicy, ObservationNormalizer normalizer, Random random) {
    this.actionSpace = actionSpace;
    this.scaler = new ActionScaler(actionSpace);
    this.normalizer = normalizer;
    this.random = random;
    this.noises = new ActionNoise[offPolicy.numEnvs()];
    for (int k = 0; k < noises.length; k++) {
      noises[k] = createNoise(offPolicy, actionSpace.size(), random);
    }
  }

  /**
   * The actions of envs {@code envIds} for their raw observations (row-major, one row per id), within the action
   * space's bounds, shaped {@code [envIds.length, ...actionShape]} as a vector env takes them.
   *
   * @param warmUp uniformly random actions instead of the actor's
   */
  BoxValue sample(float[] observations, int[] envIds, boolean warmUp, Actor actor) {
    int rows = envIds.length;
    int dim = actionSpace.size();
    float[] predicted = null;
    if (!warmUp) {
      predicted = new float[rows * dim];
      float[] input = observations.clone();
      if (normalizer != null) {
        normalizer.normalizeRowsInPlace(input);
      }
      actor.predict(input, rows, predicted);
    }
    float[] actions = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      float[] scaled = scaler.scale(warmUp ? actionSpace.sample(random).data()
          : Arrays.copyOfRange(predicted, r * dim, (r + 1) * dim));
      ActionNoise noise = noises[envIds[r]];
      if (noise != null) {
        ActionScaler.addNoiseAndClip(scaled, noise.sample());
      }
      System.arraycopy(scaler.unscale(scaled), 0, actions, r * dim, dim);
    }
    int[] shape = new int[actionSpace.shape().length + 1];
    shape[0] = rows;
    System.arraycopy(actionSpace.shape(), 0, shape, 1, actionSpace.shape().length);
    return new BoxValue(actions, shape);
  }

  /** Env {@code env}'s episode ended: its temporally correlated noise forgets the past. */
  void episodeEnded(int env) {
    if (noises[env] != null) {
      noises[env].reset();
    }
  }

  /** The exploration noise of one env, for the log. */
  String describeNoise() {
    return noises[0] == null ? "none" : noises[0].toString();
  }

  private static ActionNoise createNoise(OffPolicyConfig offPolicy, int dim, Random random) {
    return switch (offPolicy.actionNoise()) {
      case NONE -> null;
      case NORMAL -> NormalActionNoise.isotropic(dim, offPolicy.actionNoiseSigma(), random);
      case ORNSTEIN_UHLENBECK -> OrnsteinUhlenbeckActionNoise.isotropic(dim, offPolicy.actionNoiseSigma(), random);
    };
  }
}
