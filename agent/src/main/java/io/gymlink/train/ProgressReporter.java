package io.gymlink.train;

/**
 * Shows a training run's progress: steps, steps/s, last and mean episode return, ETA, and phase messages.
 *
 * <p>On a terminal it draws a progress bar ({@link ProgressBarReporter}); otherwise (CI, Docker, a log file) it
 * writes a log line every few steps ({@link LogLineReporter}).
 */
public interface ProgressReporter extends AutoCloseable {

  /** Called once before the first step; {@code initialStep} is non-zero for a resumed run. */
  void start(long initialStep, long totalSteps);

  /** Called after every environment step; cheap. NaN returns mean no episode has finished yet. */
  void update(long step, double lastReturn, double meanReturn);

  /** Logs a phase or event message without garbling the progress display. */
  void log(String message);

  @Override
  void close();

  /**
   * A progress bar when the process talks to a terminal, log lines otherwise.
   *
   * @param taskName shown before the bar or at the start of each line, e.g. the env id
   * @param logInterval steps between log lines when not on a terminal
   */
  static ProgressReporter forConsole(String taskName, int logInterval) {
    return System.console() != null
        ? new ProgressBarReporter(taskName)
        : new LogLineReporter(taskName, logInterval, System::nanoTime);
  }
}
