package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.random.SplitMix64Random;
import io.gymlink.testing.InMemoryEnv;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exploration per env: one noise process each, reset only when that env's episode ends. */
class ActionSamplerTest {

  private static final ActionSampler.Actor ZERO = (observations, rows, out) -> Arrays.fill(out, 0f);

  private static OffPolicyConfig offPolicy(Map<String, Object> more) {
    return ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, more).config().offPolicy();
  }

  private static ActionSampler sampler(OffPolicyConfig offPolicy) {
    return new ActionSampler(InMemoryEnv.ACTION_SPACE, offPolicy, null, new SplitMix64Random(3));
  }

  @Test
  void eachEnvHasItsOwnNoise_andOnlyTheEndedEnvsIsReset() {
    OffPolicyConfig offPolicy = offPolicy(Map.of("numEnvs", 2, "actionNoise", "ornstein-uhlenbeck",
        "actionNoiseSigma", 0.3));
    ActionSampler reset = sampler(offPolicy);
    ActionSampler kept = sampler(offPolicy);
    int[] both = {0, 1};
    float[] observations = new float[6];
    for (int t = 0; t < 5; t++) {
      float[] a = reset.sample(observations, both, false, ZERO).data();
      assertEquals(Arrays.toString(a), Arrays.toString(kept.sample(observations, both, false, ZERO).data()));
      assertNotEquals(a[0], a[1], "two envs, two noise draws");
    }
    reset.episodeEnded(0);
    float[] afterReset = reset.sample(observations, both, false, ZERO).data();
    float[] without = kept.sample(observations, both, false, ZERO).data();
    assertNotEquals(without[0], afterReset[0], "env 0's process restarted");
    assertEquals(without[1], afterReset[1], "env 1's process is untouched (same draws, same state)");
  }

  @Test
  void warmUp_drawsUniformActionsWithinTheBounds_forTheEnvsAsked() {
    ActionSampler sampler = sampler(offPolicy(Map.of("numEnvs", 3)));
    io.gymlink.env.spaces.BoxValue sampled = sampler.sample(new float[6], new int[] {2, 0}, true, (o, rows, out) -> {
      throw new AssertionError("no actor during warm-up");
    });
    assertEquals("[2, 1]", Arrays.toString(sampled.shape()));
    float[] actions = sampled.data();
    assertEquals(2, actions.length);
    for (float a : actions) {
      assertTrue(a >= -1 && a <= 1, "in [-1, 1]: " + a);
    }
  }
}
