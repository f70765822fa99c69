package io.gymlink.train;

import io.gymlink.td3.UpdateMetrics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Turns finished training episodes and gradient steps into {@code metrics.csv} rows: the episode's return and
 * length, the learner's mean losses and Q since the previous row, and the env-steps/s in between. Keeps the last
 * returns for the progress display.
 */
final class EpisodeRecorder {

  /** Episodes in the "mean return" of the progress display. */
  static final int RETURN_WINDOW = 10;

  private final MetricsWriter metrics;
  private final LongSupplier nanoClock;
  private final Deque<Double> recentReturns = new ArrayDeque<>();
  private double criticLoss;
  private double actorLoss;
  private double meanQ;
  private int updates;
  private int actorUpdates;
  private long rowStartStep;
  private long rowStartNanos;

  EpisodeRecorder(MetricsWriter metrics, long startStep, LongSupplier nanoClock) {
    this.metrics = metrics;
    this.nanoClock = nanoClock;
    this.rowStartStep = startStep;
    this.rowStartNanos = nanoClock.getAsLong();
  }

  /** Adds one gradient step's metrics to the current row's means. */
  void recordUpdate(UpdateMetrics m) {
    criticLoss += m.criticLoss();
    meanQ += m.meanQ();
    updates++;
    if (!Double.isNaN(m.actorLoss())) {
      actorLoss += m.actorLoss();
      actorUpdates++;
    }
  }

  /** Writes the row of an episode that ended at {@code step}. */
  void recordEpisode(long step, long episode, double episodeReturn, int length) {
    long now = nanoClock.getAsLong();
    double stepsPerSecond = (step - rowStartStep) / Math.max(1e-9, (now - rowStartNanos) / 1e9);
    metrics.write(new EpisodeMetrics(step, episode, episodeReturn, length,
        updates == 0 ? Double.NaN : criticLoss / updates,
        actorUpdates == 0 ? Double.NaN : actorLoss / actorUpdates,
        updates == 0 ? Double.NaN : meanQ / updates,
        stepsPerSecond));
    criticLoss = actorLoss = meanQ = 0;
    updates = actorUpdates = 0;
    rowStartStep = step;
    rowStartNanos = now;
    recentReturns.addLast(episodeReturn);
    if (recentReturns.size() > RETURN_WINDOW) {
      recentReturns.removeFirst();
    }
  }

  /** Leaves {@code nanos} (an evaluation, a checkpoint) out of the current row's steps/s. */
  void exclude(long nanos) {
    rowStartNanos += nanos;
  }

  /** The last episode's return, NaN before the first. */
  double lastReturn() {
    return recentReturns.isEmpty() ? Double.NaN : recentReturns.peekLast();
  }

  /** Mean return of the last {@value #RETURN_WINDOW} episodes, NaN before the first. */
  double meanReturn() {
    return recentReturns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
