package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay-ratio rate limiter between the asynchronous collector and the learner. */
class ReplayRatioLimiterTest {

  private static OffPolicyConfig offPolicy(Map<String, Object> more) {
    return ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, more).config().offPolicy();
  }

  @Test
  void owed_followsTheRatioExactly_evenWhenItIsNotADyadicFraction() {
    ReplayRatioLimiter limiter = new ReplayRatioLimiter(1, 3, 1);
    limiter.inserted(2999);
    assertEquals(999, limiter.owed());
    limiter.inserted(1);
    assertEquals(1000, limiter.owed());
    for (int i = 0; i < 1000; i++) {
      limiter.sampled();
    }
    assertEquals(0, limiter.owed());
    assertEquals(1 / 3.0, limiter.achieved(), 1e-15);
  }

  @Test
  void of_takesTheRatioAndSlackFromTheConfig() {
    ReplayRatioLimiter perTransition = ReplayRatioLimiter.of(offPolicy(Map.of("gradientSteps", -1, "numEnvs", 4)));
    perTransition.inserted(10);
    assertEquals(10, perTransition.owed());
    assertEquals(16, perTransition.slack(), "16 transitions (the minimum) at ratio 1");
    ReplayRatioLimiter half = ReplayRatioLimiter.of(offPolicy(Map.of("gradientSteps", 2, "numEnvs", 4)));
    half.inserted(10);
    assertEquals(5, half.owed(), "2 gradient steps per vector step of 4 transitions");
    assertEquals(8, half.slack());
    assertEquals(0.5, offPolicy(Map.of("gradientSteps", 2, "numEnvs", 4)).replayRatio());
    assertEquals(32 / 16, ReplayRatioLimiter.of(offPolicy(Map.of("numEnvs", 16))).slack(),
        "2 x 16 transitions at 1/16");
  }

  @Test
  void awaitOwed_returnsAtOnceWhenOwedOrCancelled_andFalseAfterItsTimeout() throws Exception {
    ReplayRatioLimiter limiter = new ReplayRatioLimiter(1, 1, 1);
    assertFalse(limiter.awaitOwed(1_000_000, () -> false));
    assertFalse(limiter.awaitOwed(60_000_000_000L, () -> true));
    limiter.inserted(1);
    assertTrue(limiter.awaitOwed(60_000_000_000L, () -> false));
  }

  @Test
  void awaitCaughtUp_holdsTheCollectorAboveTheSlack_untilHalfOfItIsWorkedOff() throws Exception {
    ReplayRatioLimiter limiter = new ReplayRatioLimiter(1, 1, 4);
    limiter.inserted(4);
    limiter.awaitCaughtUp(() -> false); // 4 owed: within the slack, no wait
    limiter.inserted(3);
    Thread collector = new Thread(() -> {
      try {
        limiter.awaitCaughtUp(() -> false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    collector.start();
    while (collector.getState() != Thread.State.TIMED_WAITING) {
      Thread.onSpinWait();
    }
    for (int i = 0; i < 4; i++) {
      limiter.sampled();
    }
    assertTrue(collector.isAlive(), "3 owed: within the slack of 4, but above its half");
    limiter.sampled();
    collector.join(60_000);
    assertFalse(collector.isAlive(), "2 owed: half the slack worked off");
  }

  @Test
  void awaitCaughtUp_returnsWhenCancelled() throws Exception {
    ReplayRatioLimiter limiter = new ReplayRatioLimiter(1, 1, 1);
    limiter.inserted(10);
    limiter.awaitCaughtUp(() -> true);
    assertEquals(10, limiter.owed());
  }
}
