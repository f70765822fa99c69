package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.random.SplitMix64Random;
import org.junit.jupiter.api.Test;

class TargetPolicyNoiseTest {
  @Test
  void addTo_clipsNoiseAndActions() {
    SplitMix64Random expected = new SplitMix64Random(5);
    TargetPolicyNoise noise = new TargetPolicyNoise(new SplitMix64Random(5), 0.4, 0.3);
    float[] actions = {0.95f, -0.2f, 0f, -0.99f};
    float[] before = actions.clone();
    noise.addTo(actions, 4);
    for (int i = 0; i < 4; i++) {
      double e = Math.max(-0.3, Math.min(0.3, expected.nextGaussian() * 0.4));
      assertEquals((float) Math.max(-1, Math.min(1, before[i] + e)), actions[i], 0f, "action " + i);
    }
  }

  @Test
  void zeroSigma_drawsNothing() {
    SplitMix64Random random = new SplitMix64Random(1);
    new TargetPolicyNoise(random, 0, 0.5).addTo(new float[] {0.1f}, 1);
    assertEquals(new SplitMix64Random(1).nextLong(), random.nextLong());
  }

  @Test
  void restore_continuesTheSameStream_includingACachedGaussian() {
    SplitMix64Random a = new SplitMix64Random(-7);
    TargetPolicyNoise noiseA = new TargetPolicyNoise(a, 1, 10);
    noiseA.addTo(new float[1], 1); // leaves the polar method's second value cached
    SplitMix64Random b = new SplitMix64Random(0);
    new TargetPolicyNoise(b, 1, 10).restore(noiseA.stateAsFloats());
    for (int i = 0; i < 10; i++) {
      assertEquals(a.nextGaussian(), b.nextGaussian());
    }
  }

  @Test
  void restore_olderFourWordState_takesTheGeneratorState() {
    SplitMix64Random a = new SplitMix64Random(123);
    float[] legacy = java.util.Arrays.copyOf(new TargetPolicyNoise(a, 1, 1).stateAsFloats(), 4);
    SplitMix64Random b = new SplitMix64Random(0);
    new TargetPolicyNoise(b, 1, 1).restore(legacy);
    assertEquals(a.nextLong(), b.nextLong());
  }

  @Test
  void restore_badState_refused() {
    TargetPolicyNoise noise = new TargetPolicyNoise(new SplitMix64Random(0), 1, 1);
    assertThrows(IllegalArgumentException.class, () -> noise.restore(new float[] {0.5f, 0, 0, 0}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noise.restore(new float[5]));
    assertTrue(e.getMessage().contains("5 floats"), e.getMessage());
  }
}
