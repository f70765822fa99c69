package io.gymlink.td3;

import io.gymlink.buffer.Batch;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.DType;
import java.util.Random;

/** Small configs, action spaces and synthetic batches shared by the DDPG tests. */
final class SmallProblems {
  static final int OBS = 3;
  static final int ACT = 2;
  /** Asymmetric bounds, so a missing or wrong rescale shows. */
  static final BoxSpace ACTION_SPACE =
      new BoxSpace(new int[] {ACT}, DType.FLOAT32, new double[] {-2, 0}, new double[] {2, 1});

  private SmallProblems() {}

  static Td3Config config(int[] netArch, String activation, boolean twin, int policyDelay, double targetNoise,
      double noiseClip, int batchSize) {
    Td3Config d = Td3Config.ddpg();
    return new Td3Config(d.learningRate(), batchSize, d.tau(), d.gamma(),
        java.util.Arrays.stream(netArch).boxed().toList(), activation, twin, policyDelay, targetNoise, noiseClip);
  }

  static Td3Config ddpg(int[] netArch, int batchSize) {
    return config(netArch, "relu", false, 1, 0, 0.5, batchSize);
  }

  static Td3Config td3(int[] netArch, int batchSize) {
    return config(netArch, "relu", true, 2, 0.2, 0.5, batchSize);
  }

  /** A batch of uniform observations and in-bounds actions, some terminated rows. */
  static Batch batch(Random random, int size) {
    Batch b = Batch.allocate(size, OBS, ACT);
    for (int i = 0; i < b.observations().length; i++) {
      b.observations()[i] = (float) (2 * random.nextDouble() - 1);
      b.nextObservations()[i] = (float) (2 * random.nextDouble() - 1);
    }
    for (int i = 0; i < size; i++) {
      b.actions()[i * ACT] = (float) (-2 + 4 * random.nextDouble());
      b.actions()[i * ACT + 1] = (float) random.nextDouble();
      b.rewards()[i] = (float) (-3 * random.nextDouble());
      b.terminated()[i] = i % 3 == 0 ? 1f : 0f;
    }
    return b;
  }
}
