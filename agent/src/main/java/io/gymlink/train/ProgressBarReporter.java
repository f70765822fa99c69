package io.gymlink.train;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Draws training progress as a terminal progress bar (me.tongfei progressbar) with speed, ETA and returns. */
final class ProgressBarReporter implements ProgressReporter {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final String taskName;
  private ProgressBar bar;
  private double shownLast = Double.NaN;
  private double shownMean = Double.NaN;

  ProgressBarReporter(String taskName) {
    this.taskName = taskName;
  }

  @Override
  public void start(long initialStep, long totalSteps) {
    bar = new ProgressBarBuilder()
        .setTaskName(taskName)
        .setInitialMax(totalSteps)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUnit(" steps", 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(500)
        // The plain consumer redraws with '\r' on the current line, so log lines can be interleaved (see log()).
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .startsFrom(initialStep, Duration.ZERO)
        .build();
  }

  @Override
  public void update(long step, double lastReturn, double meanReturn) {
    bar.stepTo(step);
    if (Double.compare(lastReturn, shownLast) != 0 || Double.compare(meanReturn, shownMean) != 0) {
      shownLast = lastReturn;
      shownMean = meanReturn;
      bar.setExtraMessage(Double.isNaN(lastReturn) ? " | no episode finished yet"
          : String.format(Locale.ROOT, " | return last %.1f, mean(10) %.1f", lastReturn, meanReturn));
    }
  }

  @Override
  public void log(String message) {
    // The bar is drawn from its own thread with System.err's lock held per write; holding the lock here keeps it
    // from drawing between clearing its line and the end of the log line. It redraws below on its next tick.
    synchronized (System.err) {
      System.err.print("\r\033[K");
      LOG.info(message);
      System.err.flush();
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
