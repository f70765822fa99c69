package io.gymlink.env;

import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import java.util.Map;
import java.util.Objects;

/**
 * Client-side action repeat (frame skip) for servers that step frame by frame, such as a challenge grader: each
 * {@link #step} applies the action {@code repeat} times on the wrapped env, sums the rewards and stops at the frame
 * that ends the episode, returning that frame's observation and info. The same semantics as a gRPC env server's
 * {@code action_repeat}, which is what training uses (one request per K frames); this wrapper costs K requests.
 */
public final class ActionRepeatEnv implements Env {

  private final Env env;
  private final int repeat;
  private int lastFrames;

  /**
   * Wraps {@code env}; closing this closes it.
   *
   * @param repeat frames per step, at least 1
   */
  public ActionRepeatEnv(Env env, int repeat) {
    this.env = Objects.requireNonNull(env, "env");
    if (repeat < 1) {
      throw new IllegalArgumentException("action repeat must be at least 1, got " + repeat);
    }
    this.repeat = repeat;
  }

  /** K, the frames each step applies its action for (fewer when the episode ends first). */
  public int repeat() {
    return repeat;
  }

  /** How many frames of the wrapped env the last {@link #step} took (0 before the first). */
  public int lastFrames() {
    return lastFrames;
  }

  @Override
  public ResetResult reset(Long seed, Map<String, Object> options) {
    return env.reset(seed, options);
  }

  @Override
  public StepResult step(SpaceValue action) {
    double reward = 0;
    StepResult frame = null;
    lastFrames = 0;
    while (lastFrames < repeat && (frame == null || !frame.episodeOver())) {
      frame = env.step(action);
      reward += frame.reward();
      lastFrames++;
    }
    return new StepResult(frame.observation(), reward, frame.terminated(), frame.truncated(), frame.info());
  }

  @Override
  public Space observationSpace() {
    return env.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return env.actionSpace();
  }

  @Override
  public EnvSpec spec() {
    return env.spec();
  }

  @Override
  public void close() {
    env.close();
  }
}
