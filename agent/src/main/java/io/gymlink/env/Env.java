package io.gymlink.env;

import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import java.util.Map;

/**
 * A reinforcement-learning environment, shaped like Gymnasium's {@code gymnasium.Env}.
 *
 * <p>{@link #step} reports {@code terminated} and {@code truncated} separately: a time-limit truncation is not a
 * terminal state, and a learner must bootstrap through it. Implementations validate actions against
 * {@link #actionSpace()} before they leave the process and throw {@link InvalidActionException} with a message
 * that names the environment and the expected and actual values.
 *
 * <p>Implementations are not thread-safe: one thread drives one {@code Env}.
 */
public interface Env extends AutoCloseable {

  /**
   * Starts a new episode.
   *
   * @param seed seed for the environment's RNG, or {@code null} to keep its current RNG state (0 is a seed)
   * @param options environment-specific reset options (JSON-like values); empty for none
   * @return the first observation and the reset info
   */
  ResetResult reset(Long seed, Map<String, Object> options);

  /** Starts a new episode without reseeding. */
  default ResetResult reset() {
    return reset(null, Map.of());
  }

  /** Starts a new episode with the given seed. */
  default ResetResult reset(long seed) {
    return reset(seed, Map.of());
  }

  /**
   * Applies one action.
   *
   * @param action an element of {@link #actionSpace()}
   * @throws InvalidActionException if the action is not in the action space (checked before sending)
   * @throws ResetNeededException if no episode is running
   */
  StepResult step(SpaceValue action);

  /** The space every observation belongs to. */
  Space observationSpace();

  /** The space every action must belong to. */
  Space actionSpace();

  /** What the server knows about this environment (id, time limit, reward range, render modes). */
  EnvSpec spec();

  /** Frees the environment on the server. Idempotent; never throws for a server that is already gone. */
  @Override
  void close();
}
