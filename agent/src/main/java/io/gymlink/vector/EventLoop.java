package io.gymlink.vector;

import io.gymlink.client.ClientConfig;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one thread of a {@link RemoteVectorEnv}: answers arrive on transport threads and are posted here as events,
 * which run on the vector env's thread while it waits, between the housekeeping of its {@link ServerFleet}
 * (deadlines, retries, re-resolution). It also holds the error that ends the vector env, and the rule of giving up.
 */
final class EventLoop {

  /** Longest wait for an event before the housekeeping runs again. */
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final BlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final Duration giveUpAfter;
  private ServerFleet fleet;
  private Supplier<SubEnv> longestLost = () -> null;
  private RuntimeException fatal;

  EventLoop(Duration giveUpAfter) {
    this.giveUpAfter = giveUpAfter;
  }

  /** Wires the fleet whose housekeeping runs between events, and who tells which env waits longest for a server. */
  void watch(ServerFleet fleet, Supplier<SubEnv> longestLost) {
    this.fleet = fleet;
    this.longestLost = longestLost;
  }

  /** Runs {@code event} on the vector env's thread (callable from any thread). */
  void post(Runnable event) {
    events.add(event);
  }

  /** Ends the vector env with {@code error} (the first one stays). */
  void fail(RuntimeException error) {
    if (fatal == null) {
      fatal = error;
    }
  }

  /** Throws the error that ended the vector env, if any. */
  void rethrow() {
    if (fatal != null) {
      throw fatal;
    }
  }

  /**
   * Runs events and housekeeping until {@code done} holds.
   *
   * @param giveUp whether to end the vector env when no server has been reachable, or an env has found no server
   *     with room, for longer than the give-up time (not during the start-up, which fails on its own terms)
   */
  void await(BooleanSupplier done, boolean giveUp) {
    try {
      while (true) {
        for (Runnable event = events.poll(); event != null; event = events.poll()) {
          event.run();
        }
        rethrow();
        // Housekeeping on every pass, even when the answers are already in.
        long now = System.nanoTime();
        long next = fleet.tick(now);
        if (giveUp) {
          checkGiveUp(now);
        }
        if (done.getAsBoolean()) {
          return;
        }
        Runnable event = events.poll(Math.max(0, Math.min(next - now, MAX_WAIT_NANOS)), TimeUnit.NANOSECONDS);
        if (event != null) {
          event.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvServerException("interrupted while waiting for env servers", e);
    }
  }

  private void checkGiveUp(long now) {
    long timeout = giveUpAfter.toNanos();
    String waited = ClientConfig.describe(giveUpAfter);
    if (fleet.usable().isEmpty() && now - fleet.lastLiveNanos() > timeout) {
      fail(new EnvServerUnavailableException("no env server reachable for " + waited + " ("
          + fleet.describeDown() + "); giving up"));
    } else {
      SubEnv stuck = longestLost.get();
      if (stuck != null && now - stuck.lostSinceNanos > timeout) {
        fail(new EnvServerUnavailableException("env " + stuck.index + " found no env server with room for "
            + waited + " (" + stuck.lostReason + "); giving up"));
      }
    }
    rethrow();
  }
}
