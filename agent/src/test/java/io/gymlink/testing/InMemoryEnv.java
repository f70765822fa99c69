package io.gymlink.testing;

import io.gymlink.env.Env;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.ResetNeededException;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.SpaceValue;
import java.util.List;
import java.util.Map;

/**
 * A deterministic environment in memory (no Python, no sockets) for fast unit tests of vector envs and the
 * training loop: a point on a line that the action pushes, rewarded for staying near 0.
 *
 * <p>Observation {@code [position, velocity, episodeStep / timeLimit]} in [-10, 10]; action in [-1, 1]; reward
 * {@code -position^2}; terminated when |position| &gt; 5, truncated at {@code timeLimit} steps. A reset with seed s
 * starts at position {@code (s % 7) - 3}; a reset without a seed continues from the last seed plus the number of
 * resets since. Counts its calls so tests can check what was stepped.
 */
public final class InMemoryEnv implements Env {

  public static final BoxSpace OBSERVATION_SPACE = BoxSpace.of(3, -10, 10);
  public static final BoxSpace ACTION_SPACE = BoxSpace.of(1, -1, 1);

  private final int timeLimit;
  private long nextSeed;
  private float position;
  private float velocity;
  private int episodeStep;
  private boolean running;
  private boolean closed;
  private long steps;
  private long resets;

  /** An env whose episodes are truncated after {@code timeLimit} steps. */
  public InMemoryEnv(int timeLimit) {
    this.timeLimit = timeLimit;
  }

  @Override
  public ResetResult reset(Long seed, Map<String, Object> options) {
    long s = seed != null ? seed : nextSeed;
    nextSeed = s + 1;
    position = Math.floorMod(s, 7) - 3;
    velocity = 0;
    episodeStep = 0;
    running = true;
    resets++;
    return new ResetResult(observation(), Map.of());
  }

  @Override
  public StepResult step(SpaceValue action) {
    String problem = ACTION_SPACE.check(action);
    if (problem != null) {
      throw new InvalidActionException("action for 'InMemory-v0' " + problem);
    }
    if (!running) {
      throw new ResetNeededException("step on 'InMemory-v0' before reset or after the episode ended");
    }
    float push = ((BoxValue) action).data()[0];
    velocity = 0.9f * velocity + 0.1f * push;
    position += velocity;
    episodeStep++;
    steps++;
    boolean terminated = Math.abs(position) > 5;
    boolean truncated = !terminated && episodeStep >= timeLimit;
    running = !(terminated || truncated);
    return new StepResult(observation(), -position * position, terminated, truncated, Map.of());
  }

  private BoxValue observation() {
    return new BoxValue(new float[] {position, velocity, episodeStep / (float) timeLimit}, new int[] {3});
  }

  @Override
  public BoxSpace observationSpace() {
    return OBSERVATION_SPACE;
  }

  @Override
  public BoxSpace actionSpace() {
    return ACTION_SPACE;
  }

  @Override
  public EnvSpec spec() {
    return new EnvSpec("InMemory-v0", timeLimit, Double.NEGATIVE_INFINITY, 0, List.of(), null);
  }

  /** Steps taken over all episodes. */
  public long steps() {
    return steps;
  }

  /** Resets so far. */
  public long resets() {
    return resets;
  }

  /** Whether {@link #close} was called. */
  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
