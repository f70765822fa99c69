package io.gymlink.bench;

import io.gymlink.random.SplitMix64Random;
import io.gymlink.buffer.Batch;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.Td3;
import io.gymlink.td3.Td3Config;
import java.util.List;
import java.util.Random;

/**
 * A learner and synthetic Pendulum-shaped batches for the update benchmarks: observations and next observations
 * uniform in [-1, 1], actions uniform in the Box [-2, 2], rewards in [-16, 0], 1% terminated. Eight batches are
 * cycled, so the data varies without sampling cost.
 */
record UpdateSetup(Td3 learner, Batch[] batches, List<Integer> netArch, int batchSize) {

  /** DDPG (SB3's defaults) with hidden layers {@code netArch}, {@code activation} and the given shapes. */
  static UpdateSetup ddpg(List<Integer> netArch, String activation, int batchSize, int observationDim, int actionDim) {
    Td3Config d = Td3Config.ddpg();
    Td3Config config = new Td3Config(d.learningRate(), batchSize, d.tau(), d.gamma(), netArch, activation, false, 1,
        0.0, d.targetNoiseClip());
    Random random = new SplitMix64Random(0);
    Td3 learner = new Td3(observationDim, BoxSpace.of(actionDim, -2, 2), config, random);
    Batch[] batches = new Batch[8];
    for (int b = 0; b < batches.length; b++) {
      batches[b] = Batch.allocate(batchSize, observationDim, actionDim);
      fill(batches[b], random);
    }
    return new UpdateSetup(learner, batches, netArch, batchSize);
  }

  /** One gradient step on the {@code i}-th batch (cycled). */
  void step(long i) {
    learner.train(batches[(int) (i % batches.length)]);
  }

  private static void fill(Batch batch, Random random) {
    fillUniform(batch.observations(), random, -1, 1);
    fillUniform(batch.nextObservations(), random, -1, 1);
    fillUniform(batch.actions(), random, -2, 2);
    fillUniform(batch.rewards(), random, -16, 0);
    for (int i = 0; i < batch.size(); i++) {
      batch.terminated()[i] = random.nextDouble() < 0.01 ? 1f : 0f;
    }
  }

  private static void fillUniform(float[] a, Random random, double low, double high) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (low + (high - low) * random.nextDouble());
    }
  }
}
