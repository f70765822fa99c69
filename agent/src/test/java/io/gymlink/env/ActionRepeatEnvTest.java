package io.gymlink.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.InMemoryEnv;
import org.junit.jupiter.api.Test;

/** Client-side action repeat over an in-memory env, compared frame by frame with a same-seeded unwrapped one. */
class ActionRepeatEnvTest {

  private static final BoxValue PUSH = BoxValue.of(new float[] {0.5f});

  @Test
  void step_repeat4_sumsFourFramesAndReturnsTheLastObservation() {
    InMemoryEnv frames = new InMemoryEnv(10);
    frames.reset(2L, java.util.Map.of());
    double expected = 0;
    StepResult fourth = null;
    for (int i = 0; i < 4; i++) {
      fourth = frames.step(PUSH);
      expected += fourth.reward();
    }
    InMemoryEnv inner = new InMemoryEnv(10);
    try (ActionRepeatEnv env = new ActionRepeatEnv(inner, 4)) {
      env.reset(2L, java.util.Map.of());
      StepResult step = env.step(PUSH);
      assertEquals(expected, step.reward(), 1e-9);
      assertArrayEquals(((BoxValue) fourth.observation()).data(), ((BoxValue) step.observation()).data());
      assertEquals(4, env.lastFrames());
      assertEquals(4, inner.steps());
    }
    assertTrue(inner.closed());
  }

  @Test
  void step_stopsAtTheFrameThatEndsTheEpisode() {
    InMemoryEnv inner = new InMemoryEnv(10);
    ActionRepeatEnv env = new ActionRepeatEnv(inner, 4);
    env.reset(0L, java.util.Map.of());
    assertFalse(env.step(PUSH).episodeOver());
    assertFalse(env.step(PUSH).episodeOver());
    StepResult last = env.step(PUSH);
    assertTrue(last.truncated(), "the 10-frame limit ends the third step after 2 of its frames");
    assertEquals(2, env.lastFrames());
    assertEquals(10, inner.steps(), "no frame is stepped after the episode ended");
  }

  @Test
  void repeatBelow1_isRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ActionRepeatEnv(new InMemoryEnv(5), 0));
    assertEquals("action repeat must be at least 1, got 0", e.getMessage());
  }
}
