package io.gymlink.td3;

import static io.gymlink.td3.SmallProblems.ACT;
import static io.gymlink.td3.SmallProblems.ACTION_SPACE;
import static io.gymlink.td3.SmallProblems.OBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.buffer.Batch;
import io.gymlink.nn.Activation;
import io.gymlink.nn.ReferenceNet;
import io.gymlink.random.SplitMix64Random;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Checks the learner's whole update against an independent double-precision reference: the TD target (with the
 * terminated mask and rescaled actions), the losses, and the direction of both gradient steps. Adam's first step
 * moves each parameter by -lr * sign(gradient), so the parameter changes reveal the gradients' signs, which are
 * compared with finite differences of the reference losses.
 */
class Td3GradientTest {
  private static final int[] NET = {8, 6};
  private static final int N = 6;
  private static final int[] ACTOR_SIZES = {OBS, 8, 6, ACT};
  private static final int[] CRITIC_SIZES = {OBS + ACT, 8, 6, 1};

  @Test
  void firstUpdate_lossesAndGradientSigns_matchReference() {
    Td3Config config = SmallProblems.config(NET, "tanh", false, 1, 0, 0.5, N);
    Td3 learner = new Td3(OBS, ACTION_SPACE, config, new Random(21));
    Batch batch = SmallProblems.batch(new Random(22), N);
    LearnerState before = learner.state();
    UpdateMetrics metrics = learner.train(batch);
    LearnerState after = learner.state();

    double[] y = targets(before, batch, config, null);
    double[] criticParams = ReferenceNet.widen(before.arrays().get("critic"));
    ToDoubleFunction<double[]> criticLoss = p -> criticLoss(p, batch, y);
    assertEquals(criticLoss.applyAsDouble(criticParams), metrics.criticLoss(), 1e-5);
    assertStepFollowsGradientSign(criticLoss, criticParams, after.arrays().get("critic"), config.learningRate());

    double[] actorParams = ReferenceNet.widen(before.arrays().get("actor"));
    double[] newCritic = ReferenceNet.widen(after.arrays().get("critic"));
    ToDoubleFunction<double[]> actorLoss = p -> actorLoss(p, newCritic, batch);
    assertEquals(actorLoss.applyAsDouble(actorParams), metrics.actorLoss(), 1e-5);
    assertStepFollowsGradientSign(actorLoss, actorParams, after.arrays().get("actor"), config.learningRate());
  }

  @Test
  void twinCritics_targetUsesMinimumOfSmoothedTargets() {
    Td3Config config = SmallProblems.config(NET, "tanh", true, 2, 0.4, 0.3, N);
    Td3 learner = new Td3(OBS, ACTION_SPACE, config, new Random(31));
    // The learner seeds its noise stream with the first long of the Random it is given.
    SplitMix64Random expectedNoise = new SplitMix64Random(new Random(31).nextLong());
    Batch batch = SmallProblems.batch(new Random(32), N);
    LearnerState before = learner.state();
    UpdateMetrics metrics = learner.train(batch);

    double[] noise = new double[N * ACT];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = Math.max(-0.3, Math.min(0.3, expectedNoise.nextGaussian() * 0.4));
    }
    double[] y = targets(before, batch, config, noise);
    double expected = criticLoss(ReferenceNet.widen(before.arrays().get("critic")), batch, y)
        + criticLoss(ReferenceNet.widen(before.arrays().get("critic2")), batch, y);
    assertEquals(expected, metrics.criticLoss(), 1e-5);
    double[] yWithoutNoise = targets(before, batch, config, new double[N * ACT]);
    double unsmoothed = criticLoss(ReferenceNet.widen(before.arrays().get("critic")), batch, yWithoutNoise)
        + criticLoss(ReferenceNet.widen(before.arrays().get("critic2")), batch, yWithoutNoise);
    assertTrue(Math.abs(unsmoothed - expected) > 1e-3, "the test batch must be sensitive to the noise");
  }

  /** y = r + gamma * (1 - terminated) * min_c Q'_c(s', clip(mu'(s') + noise, -1, 1)); noise null means none. */
  private static double[] targets(LearnerState s, Batch b, Td3Config config, double[] noise) {
    double[] y = new double[N];
    for (int i = 0; i < N; i++) {
      double[] next = ReferenceNet.row(b.nextObservations(), i, OBS);
      double[] a = ReferenceNet.forward(ReferenceNet.widen(s.arrays().get("actor_target")), ACTOR_SIZES,
          Activation.named(config.activation()), Activation.TANH, next);
      for (int k = 0; noise != null && k < ACT; k++) {
        a[k] = Math.max(-1, Math.min(1, a[k] + noise[i * ACT + k]));
      }
      double q = Double.POSITIVE_INFINITY;
      for (String name : config.twinCritics() ? new String[] {"critic_target", "critic2_target"}
          : new String[] {"critic_target"}) {
        q = Math.min(q, critic(ReferenceNet.widen(s.arrays().get(name)), next, a));
      }
      y[i] = b.rewards()[i] + config.gamma() * (1 - b.terminated()[i]) * q;
    }
    return y;
  }

  private static double criticLoss(double[] params, Batch b, double[] y) {
    double sum = 0;
    for (int i = 0; i < N; i++) {
      double[] unit = new double[ACT];
      for (int k = 0; k < ACT; k++) {
        double low = ACTION_SPACE.low()[k];
        double high = ACTION_SPACE.high()[k];
        unit[k] = 2 * (b.actions()[i * ACT + k] - low) / (high - low) - 1;
      }
      double e = critic(params, ReferenceNet.row(b.observations(), i, OBS), unit) - y[i];
      sum += e * e;
    }
    return sum / N;
  }

  private static double actorLoss(double[] actorParams, double[] criticParams, Batch b) {
    double sum = 0;
    for (int i = 0; i < N; i++) {
      double[] s = ReferenceNet.row(b.observations(), i, OBS);
      double[] a = ReferenceNet.forward(actorParams, ACTOR_SIZES, Activation.TANH, Activation.TANH, s);
      sum += critic(criticParams, s, a);
    }
    return -sum / N;
  }

  private static double critic(double[] params, double[] s, double[] a) {
    double[] in = new double[OBS + ACT];
    System.arraycopy(s, 0, in, 0, OBS);
    System.arraycopy(a, 0, in, OBS, ACT);
    return ReferenceNet.forward(params, CRITIC_SIZES, Activation.TANH, Activation.IDENTITY, in)[0];
  }

  private static void assertStepFollowsGradientSign(
      ToDoubleFunction<double[]> loss, double[] before, float[] after, double lr) {
    int checked = 0;
    for (int i = 0; i < before.length; i++) {
      double g = ReferenceNet.centralDifference(loss, before, i);
      if (Math.abs(g) < 1e-4) {
        continue;
      }
      double step = after[i] - before[i];
      assertEquals(-lr * Math.signum(g), step, 0.02 * lr, "parameter " + i + " with gradient " + g);
      checked++;
    }
    assertTrue(checked > before.length / 2, "only " + checked + " of " + before.length + " gradients were large");
  }
}
