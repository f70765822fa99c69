package io.gymlink.train;

import java.util.function.BooleanSupplier;

/**
 * Holds the replay ratio, gradient steps per transition collected, to {@code numerator / denominator} on average
 * while a collector and a learner run in two threads (Reverb's {@code SampleToInsertRatio} rate limiter): the
 * learner may take a gradient step while it owes one, floor(ratio x eligible transitions) minus the steps taken; the
 * collector may send new actions while the learner owes no more than {@code slack} steps. Between the two the
 * ratio stays within slack (plus the transitions in flight) of the target at every moment, and exactly on it once
 * the learner has caught up at the end.
 *
 * <p>Only transitions collected while training is allowed (past {@code learningStarts}) are eligible. In synchronous
 * collection the loop trains in phases and uses this class only to count. Thread-safe.
 */
final class ReplayRatioLimiter {

  private final long numerator;
  private final long denominator;
  private final long slack;
  private long eligible;
  private long gradientSteps;
  private long learnerWaitNanos;
  private long collectorWaitNanos;

  /**
   * @param numerator gradient steps per {@code denominator} transitions
   * @param slack gradient steps the learner may owe before the collector waits (at least 1)
   */
  ReplayRatioLimiter(long numerator, long denominator, long slack) {
    if (numerator < 1 || denominator < 1 || slack < 1) {
      throw new IllegalArgumentException("replay ratio needs numerator, denominator and slack >= 1, got "
          + numerator + ", " + denominator + ", " + slack);
    }
    this.numerator = numerator;
    this.denominator = denominator;
    this.slack = slack;
  }

  /** The limiter of {@code offPolicy}'s replay ratio; the collector may run {@code 2 x numEnvs} transitions ahead. */
  static ReplayRatioLimiter of(OffPolicyConfig offPolicy) {
    long numerator = offPolicy.gradientSteps() == -1 ? 1 : offPolicy.gradientSteps();
    long denominator = offPolicy.gradientSteps() == -1 ? 1 : (long) offPolicy.trainFreq() * offPolicy.numEnvs();
    long slack = Math.max(1, 2L * offPolicy.numEnvs() * numerator / denominator);
    return new ReplayRatioLimiter(numerator, denominator, slack);
  }

  /** Counts {@code n} transitions collected while training is allowed. */
  synchronized void inserted(long n) {
    eligible += n;
    notifyAll();
  }

  /** Counts one gradient step. */
  synchronized void sampled() {
    gradientSteps++;
    notifyAll();
  }

  /** Gradient steps the learner owes now; zero or less means it is on or ahead of the ratio. */
  synchronized long owed() {
    return eligible * numerator / denominator - gradientSteps;
  }

  /** Gradient steps per eligible transition so far, NaN before any. */
  synchronized double achieved() {
    return eligible == 0 ? Double.NaN : gradientSteps / (double) eligible;
  }

  /**
   * Learner: waits up to {@code timeoutNanos} until a gradient step is owed or {@code cancel} holds (checked on
   * every {@link #inserted}, {@link #sampled} and {@link #wakeUp}).
   *
   * @return whether a gradient step is owed
   */
  synchronized boolean awaitOwed(long timeoutNanos, BooleanSupplier cancel) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    long left = timeoutNanos;
    while (owed() <= 0 && !cancel.getAsBoolean() && left > 0) {
      wait(Math.max(1, left / 1_000_000));
      left = deadline - System.nanoTime();
    }
    learnerWaitNanos += System.nanoTime() - start;
    return owed() > 0;
  }

  /** Collector: waits while the learner owes more than the slack, until {@code cancel} holds. */
  synchronized void awaitCaughtUp(BooleanSupplier cancel) throws InterruptedException {
    long start = System.nanoTime();
    while (owed() > slack && !cancel.getAsBoolean()) {
      wait(50);
    }
    collectorWaitNanos += System.nanoTime() - start;
  }

  /** Seconds the learner spent waiting for transitions (it was ahead of the ratio, or collection paused). */
  synchronized double learnerWaitSeconds() {
    return learnerWaitNanos / 1e9;
  }

  /** Seconds the collector was held back because the learner owed more than the slack. */
  synchronized double collectorWaitSeconds() {
    return collectorWaitNanos / 1e9;
  }

  /** Wakes both waiters, so that they look at their cancel conditions (a pause, a stop, a finished collector). */
  synchronized void wakeUp() {
    notifyAll();
  }
}
