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
 * <p>A waiting side is woken only when it may go on, and a held-back collector only once the learner has worked off
 * half the slack: each wake-up can put the woken thread on the other's core for a moment, so the collector runs in
 * bursts rather than once per gradient step.
 *
 * <p>Only transitions collected while training is allowed (past {@code learningStarts}) are eligible. In synchronous
 * collection the loop trains in phases and uses this class only to count. Thread-safe.
 */
final class ReplayRatioLimiter {

  /** The collector may run at least this many transitions ahead, so that it works in bursts. */
  static final int MIN_SLACK_TRANSITIONS = 16;

  private final long numerator;
  private final long denominator;
  private final long slack;
  private long eligible;
  private long gradientSteps;
  private boolean learnerWaiting;
  private boolean collectorWaiting;
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

  /**
   * The limiter of {@code offPolicy}'s replay ratio; the collector may run {@code 2 x numEnvs} transitions (at least
   * {@value #MIN_SLACK_TRANSITIONS}) ahead.
   */
  static ReplayRatioLimiter of(OffPolicyConfig offPolicy) {
    long numerator = offPolicy.gradientSteps() == -1 ? 1 : offPolicy.gradientSteps();
    long denominator = offPolicy.gradientSteps() == -1 ? 1 : (long) offPolicy.trainFreq() * offPolicy.numEnvs();
    long transitions = Math.max(MIN_SLACK_TRANSITIONS, 2L * offPolicy.numEnvs());
    return new ReplayRatioLimiter(numerator, denominator, Math.max(1, transitions * numerator / denominator));
  }

  /** Counts {@code n} transitions collected while training is allowed. */
  synchronized void inserted(long n) {
    eligible += n;
    if (learnerWaiting && owed() > 0) {
      notifyAll();
    }
  }

  /** Counts one gradient step. */
  synchronized void sampled() {
    gradientSteps++;
    if (collectorWaiting && owed() <= slack / 2) {
      notifyAll();
    }
  }

  /** Gradient steps the learner owes now; zero or less means it is on or ahead of the ratio. */
  synchronized long owed() {
    return eligible * numerator / denominator - gradientSteps;
  }

  /** Gradient steps the learner may owe before the collector waits. */
  long slack() {
    return slack;
  }

  /** Gradient steps per eligible transition so far, NaN before any. */
  synchronized double achieved() {
    return eligible == 0 ? Double.NaN : gradientSteps / (double) eligible;
  }

  /**
   * Learner: waits up to {@code timeoutNanos} until a gradient step is owed or {@code cancel} holds (checked when
   * woken: by a transition that makes a step owed, or by {@link #wakeUp}).
   *
   * @return whether a gradient step is owed
   */
  synchronized boolean awaitOwed(long timeoutNanos, BooleanSupplier cancel) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    long left = timeoutNanos;
    learnerWaiting = true;
    try {
      while (owed() <= 0 && !cancel.getAsBoolean() && left > 0) {
        wait(Math.max(1, left / 1_000_000));
        left = deadline - System.nanoTime();
      }
    } finally {
      learnerWaiting = false;
      learnerWaitNanos += System.nanoTime() - start;
    }
    return owed() > 0;
  }

  /**
   * Collector: waits while the learner owes more than the slack, until {@code cancel} holds; once held back, until
   * the learner owes no more than half the slack.
   */
  synchronized void awaitCaughtUp(BooleanSupplier cancel) throws InterruptedException {
    if (owed() <= slack) {
      return;
    }
    long start = System.nanoTime();
    collectorWaiting = true;
    try {
      while (owed() > slack / 2 && !cancel.getAsBoolean()) {
        wait(50);
      }
    } finally {
      collectorWaiting = false;
      collectorWaitNanos += System.nanoTime() - start;
    }
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
