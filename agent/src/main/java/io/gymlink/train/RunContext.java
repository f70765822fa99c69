package io.gymlink.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a training run writes and reports: its output directory, its progress display and the versions to record.
 *
 * @param runDir directory for metrics.csv, evaluations.csv, config.json, learning_curve.png and checkpoint/
 * @param progress the progress display
 * @param versions software versions written to config.json and checkpoints
 * @param server the env server(s) the run steps, as {@code --server} takes them, or {@link #LOCAL_SERVER} for a
 *     local env server the command started; written to config.json, so that {@code --resume} finds it again
 */
public record RunContext(Path runDir, ProgressReporter progress, Map<String, String> versions, String server) {

  /** The {@code server} of a run on a local env server started by the command itself. */
  public static final String LOCAL_SERVER = "local";

  public RunContext {
    versions = Map.copyOf(versions);
  }
}
