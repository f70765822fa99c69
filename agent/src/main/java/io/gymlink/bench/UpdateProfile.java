package io.gymlink.bench;

import io.gymlink.nn.Activation;
import io.gymlink.nn.Adam;
import io.gymlink.nn.Columns;
import io.gymlink.nn.Network;
import io.gymlink.nn.OperationBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the time of a DDPG update goes: the phases of {@code Td3.train} replayed one at a time through the
 * {@code io.gymlink.nn} API on networks of the same shapes (thread CPU time, least over rounds), their sum against
 * the measured update, and the floor of its ten large matrix multiplies run alone through BLAS. Nothing is timed
 * inside the learner: production code has no profiling hooks.
 */
final class UpdateProfile {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private UpdateProfile() {}

  /** Markdown rows "| phase | ms per update | share |" for a DDPG update of {@code setup}'s shapes. */
  static List<String> rows(UpdateSetup setup, int observationDim, int actionDim, String activation, int rounds) {
    int n = setup.batchSize();
    List<Integer> arch = setup.netArch();
    Activation hidden = Activation.named(activation);
    Network actor = Network.mlp(observationDim, arch, actionDim, hidden, Activation.TANH);
    Network critic = Network.mlp(observationDim + actionDim, arch, 1, hidden, Activation.IDENTITY);
    Random random = new Random(1);
    actor.initialize(random);
    critic.initialize(random);
    Network actorTarget = actor.newTarget();
    Network criticTarget = critic.newTarget();
    Adam actorOptimizer = new Adam(actor, 1e-3);
    Adam criticOptimizer = new Adam(critic, 1e-3);
    float[] observations = uniform(random, n * observationDim);
    float[] criticInput = uniform(random, n * (observationDim + actionDim));
    float[] dQ = uniform(random, n);
    float[] dActions = new float[n * actionDim];
    Columns actions = new Columns(observationDim, actionDim);
    String[] names = {"target actor forward", "target critic forward", "critic forward", "critic backward",
        "critic Adam + target Polyak", "actor forward", "critic forward (actor loss)", "critic input gradient",
        "actor backward", "actor Adam + target Polyak"};
    Runnable[] phases = {
        () -> actorTarget.forward(observations, n),
        () -> criticTarget.forward(criticInput, n),
        () -> critic.forward(criticInput, n),
        () -> critic.backward(dQ),
        () -> criticOptimizer.stepAndUpdateTarget(0.005),
        () -> actor.forward(observations, n),
        () -> critic.forward(criticInput, n),
        () -> critic.inputGradient(dQ, actions, dActions),
        () -> actor.backward(dActions),
        () -> actorOptimizer.stepAndUpdateTarget(0.005)};
    double[] best = new double[phases.length];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    for (int r = 0; r < rounds; r++) {
      for (int p = 0; p < phases.length; p++) {
        long start = THREADS.getCurrentThreadCpuTime();
        phases[p].run();
        best[p] = Math.min(best[p], (THREADS.getCurrentThreadCpuTime() - start) / 1e6);
      }
    }
    double update = Double.MAX_VALUE;
    for (int r = 0; r < rounds; r++) {
      long start = THREADS.getCurrentThreadCpuTime();
      setup.step(r);
      update = Math.min(update, (THREADS.getCurrentThreadCpuTime() - start) / 1e6);
    }
    List<String> rows = new ArrayList<>();
    double sum = 0;
    for (int p = 0; p < phases.length; p++) {
      sum += best[p];
      rows.add(String.format(Locale.ROOT, "| %s | %.3f | %.0f%% |", names[p], best[p], 100 * best[p] / update));
    }
    rows.add(String.format(Locale.ROOT, "| sum of the phases | %.3f | %.0f%% |", sum, 100 * sum / update));
    rows.add(String.format(Locale.ROOT, "| **Td3.train, whole update** | **%.3f** | 100%% |", update));
    int last = arch.size() - 1;
    double floor = 10 * OperationBenchmark.hiddenLayerMultiplyMicros(n, arch.get(Math.max(0, last - 1)),
        arch.get(last), Math.max(3, rounds / 10)) / 1e3;
    rows.add(String.format(Locale.ROOT, "| floor: the 10 largest multiplies alone (BLAS) | %.3f | %.0f%% |", floor,
        100 * floor / update));
    return rows;
  }

  private static float[] uniform(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) (2 * random.nextDouble() - 1) / 16;
    }
    return values;
  }
}
