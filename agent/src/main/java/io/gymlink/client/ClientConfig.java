package io.gymlink.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines for calls to an env server: every request waits at most this long for its answer.
 *
 * @param callTimeout deadline for reset, step and close (default 30 s); a step that takes longer fails with
 *     {@link io.gymlink.env.EnvServerUnavailableException} and the environment must be made again
 * @param makeTimeout deadline for make, which may import heavy simulators (default 120 s)
 */
public record ClientConfig(Duration callTimeout, Duration makeTimeout) {

  /** Default deadline for reset, step and close. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Default deadline for make. */
  public static final Duration DEFAULT_MAKE_TIMEOUT = Duration.ofSeconds(120);

  public ClientConfig {
    requirePositive(callTimeout, "callTimeout");
    requirePositive(makeTimeout, "makeTimeout");
  }

  /** The defaults: 30 s per call, 120 s per make. */
  public static ClientConfig defaults() {
    return new ClientConfig(DEFAULT_CALL_TIMEOUT, DEFAULT_MAKE_TIMEOUT);
  }

  /** These deadlines with a different call timeout. */
  public ClientConfig withCallTimeout(Duration timeout) {
    return new ClientConfig(timeout, makeTimeout);
  }

  /** These deadlines with a different make timeout. */
  public ClientConfig withMakeTimeout(Duration timeout) {
    return new ClientConfig(callTimeout, timeout);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("ClientConfig." + name + " must be positive, got " + duration);
    }
  }

  /** A duration for messages, e.g. {@code 0.5 s}. */
  public static String describe(Duration duration) {
    double seconds = duration.toNanos() / 1e9;
    return (seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds)) + " s";
  }
}
