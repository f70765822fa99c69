package io.gymlink.vector;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;

/**
 * N sub-environments with Box observation and action spaces, stepped together: Gymnasium 1.x's {@code VectorEnv}
 * (batched observations {@code [N, ...]}, rewards, {@code terminated} and {@code truncated} arrays) with the
 * {@link AutoresetMode#SAME_STEP} autoreset, plus EnvPool's asynchronous {@link #send} / {@link #recv}, which
 * return as soon as some sub-environments have answered so that one slow environment never stalls the others.
 *
 * <p>Sub-environment {@code i} of a reset with seed {@code s} is reset with seed {@code s + i} (Gymnasium). Not
 * thread-safe: one thread drives a vector env. Use either {@link #step} or {@link #send}/{@link #recv} after a
 * {@link #reset}, not both at once.
 */
public interface VectorEnv extends AutoCloseable {

  /** The number of sub-environments, N. */
  int numEnvs();

  /** The observation space of one sub-environment; batched observations have shape {@code [K, ...this]}. */
  BoxSpace singleObservationSpace();

  /** The action space of one sub-environment; batched actions have shape {@code [K, ...this]}. */
  BoxSpace singleActionSpace();

  /** What happens when an episode ends; always {@link AutoresetMode#SAME_STEP} in gymlink. */
  default AutoresetMode autoresetMode() {
    return AutoresetMode.SAME_STEP;
  }

  /**
   * Resets every sub-environment and waits for all.
   *
   * @param seed sub-environment i gets {@code seed + i}; {@code null} keeps their RNG states
   * @return observations {@code [N, ...]}
   */
  BoxValue reset(Long seed);

  /**
   * Steps every sub-environment with its row of {@code actions} ({@code [N, ...]}) and waits for all.
   *
   * @return one row per sub-environment, in order 0..N-1
   */
  VectorStepResult step(BoxValue actions);

  /**
   * Sends one action to each of {@code envIds} ({@code actions} has shape {@code [envIds.length, ...]}) and
   * returns at once. Each id must have been returned by the last {@link #reset} or a {@link #recv} since, and not
   * sent since.
   */
  void send(BoxValue actions, int[] envIds);

  /**
   * Waits until at least {@code minResults} of the sub-environments sent to have answered (fewer only when fewer
   * are in flight), and returns every answer available by then.
   */
  VectorStepResult recv(int minResults);

  /** Closes every sub-environment. Idempotent. */
  @Override
  void close();
}
