package io.gymlink.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A progress reporter for tests that keeps the log lines. */
final class RecordingReporter implements ProgressReporter {

  final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void start(long initialStep, long totalSteps) {}

  @Override
  public void update(long step, double lastReturn, double meanReturn) {}

  @Override
  public void log(String message) {
    lines.add(message);
  }

  @Override
  public void close() {}

  /** Whether a line contains {@code text}. */
  boolean logged(String text) {
    synchronized (lines) {
      return lines.stream().anyMatch(l -> l.contains(text));
    }
  }
}
