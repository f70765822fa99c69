package io.gymlink.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a training run writes and reports: its output directory, its progress display and the versions to record.
 *
 * @param runDir directory for metrics.csv, evaluations.csv, config.json, learning_curve.png and checkpoint/
 * @param progress the progress display
 * @param versions software versions written to config.json and checkpoints
 */
public record RunContext(Path runDir, ProgressReporter progress, Map<String, String> versions) {

  public RunContext {
    versions = Map.copyOf(versions);
  }
}
