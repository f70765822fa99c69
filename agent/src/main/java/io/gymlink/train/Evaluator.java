package io.gymlink.train;

import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import java.util.function.UnaryOperator;

/**
 * Runs deterministic evaluation episodes (no exploration noise, observation statistics frozen) on its own env
 * instance, like SB3's {@code evaluate_policy} on a separate eval env.
 *
 * <p>Episode {@code i} of every evaluation is reset with seed {@code seedBase + i}, so successive evaluations face
 * the same start states and their returns compare directly.
 */
public final class Evaluator {

  /** Added to the run's seed to get the evaluation seeds, so they differ from the training env's seed. */
  public static final long SEED_OFFSET = 10_000;

  private final Env env;
  private final int episodes;
  private final long seedBase;

  /**
   * @param env the evaluation environment (Box observations and actions), not used for training
   * @param episodes episodes per evaluation
   * @param seedBase seed of the first episode; episode i uses seedBase + i
   */
  public Evaluator(Env env, int episodes, long seedBase) {
    if (episodes < 1) {
      throw new IllegalArgumentException("evaluation needs at least 1 episode, got " + episodes);
    }
    this.env = env;
    this.episodes = episodes;
    this.seedBase = seedBase;
  }

  /**
   * Plays {@code episodes} episodes with {@code policy}.
   *
   * @param step the training step to record with the result
   * @param policy raw observation -> action within the action space's bounds
   */
  public EvaluationResult evaluate(long step, UnaryOperator<float[]> policy) {
    int[] actionShape = ((BoxSpace) env.actionSpace()).shape();
    double[] returns = new double[episodes];
    int[] lengths = new int[episodes];
    for (int episode = 0; episode < episodes; episode++) {
      float[] observation = env.reset(seedBase + episode).observation().asBox().data();
      StepResult result;
      do {
        result = env.step(new BoxValue(policy.apply(observation), actionShape));
        returns[episode] += result.reward();
        lengths[episode]++;
        observation = result.observation().asBox().data();
      } while (!result.episodeOver());
    }
    return new EvaluationResult(step, returns, lengths);
  }
}
