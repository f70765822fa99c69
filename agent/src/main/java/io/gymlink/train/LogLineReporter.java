package io.gymlink.train;

import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports training progress as a log line each time the step count passes a multiple of {@code logInterval}, for
 * output that is not a terminal. Steps may advance by more than one (many envs, asynchronous collection).
 */
final class LogLineReporter implements ProgressReporter {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final String taskName;
  private final int logInterval;
  private final LongSupplier nanoClock;
  private long totalSteps;
  private long lastStep;
  private long lastNanos;

  LogLineReporter(String taskName, int logInterval, LongSupplier nanoClock) {
    this.taskName = taskName;
    this.logInterval = logInterval;
    this.nanoClock = nanoClock;
  }

  @Override
  public void start(long initialStep, long totalSteps) {
    this.totalSteps = totalSteps;
    this.lastStep = initialStep;
    this.lastNanos = nanoClock.getAsLong();
  }

  @Override
  public void update(long step, double lastReturn, double meanReturn) {
    boolean passedMultiple = step / logInterval > lastStep / logInterval;
    if (!passedMultiple && !(step == totalSteps && step != lastStep)) {
      return;
    }
    long now = nanoClock.getAsLong();
    double stepsPerSecond = (step - lastStep) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastStep = step;
    lastNanos = now;
    LOG.info(line(step, stepsPerSecond, lastReturn, meanReturn));
  }

  String line(long step, double stepsPerSecond, double lastReturn, double meanReturn) {
    long etaSeconds = stepsPerSecond > 0 ? Math.round((totalSteps - step) / stepsPerSecond) : -1;
    String returns = Double.isNaN(lastReturn) ? "no episode finished yet"
        : String.format(Locale.ROOT, "return last %.1f, mean(10) %.1f", lastReturn, meanReturn);
    return String.format(Locale.ROOT, "%s step %d/%d (%.0f%%), %.1f steps/s, %s, ETA %s", taskName, step,
        totalSteps, 100.0 * step / totalSteps, stepsPerSecond, returns, formatDuration(etaSeconds));
  }

  static String formatDuration(long seconds) {
    if (seconds < 0) {
      return "unknown";
    }
    return seconds >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
  }

  @Override
  public void log(String message) {
    LOG.info(message);
  }

  @Override
  public void close() {}
}
