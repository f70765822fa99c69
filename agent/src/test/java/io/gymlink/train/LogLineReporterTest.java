package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogLineReporterTest {

  @Test
  void line_saysStepsSpeedReturnsAndEta() {
    LogLineReporter reporter = new LogLineReporter("Pendulum-v1", 1000, () -> 0L);
    reporter.start(0, 20_000);
    assertEquals("Pendulum-v1 step 5000/20000 (25%), 100.0 steps/s, return last -150.5, mean(10) -170.2, ETA 2m30s",
        reporter.line(5000, 100.0, -150.5, -170.24));
    assertEquals("Pendulum-v1 step 10/20000 (0%), 0.0 steps/s, no episode finished yet, ETA unknown",
        reporter.line(10, 0.0, Double.NaN, Double.NaN));
  }

  @Test
  void formatDuration_hoursMinutesSeconds() {
    assertEquals("0m59s", LogLineReporter.formatDuration(59));
    assertEquals("1h01m01s", LogLineReporter.formatDuration(3661));
  }
}
