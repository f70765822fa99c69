package io.gymlink.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes a run's CSV files: {@code metrics.csv} (one row per training episode) and {@code evaluations.csv} (one
 * row per deterministic evaluation). Rows are flushed as written, so a crashed run keeps them. The two files may be
 * written from two threads (asynchronous collection writes episodes, the learner evaluations), one thread each.
 *
 * <p>When a run resumes from a checkpoint, rows written after that checkpoint are dropped first, so that the files
 * read as one uninterrupted run.
 */
public final class MetricsWriter implements AutoCloseable {

  public static final String METRICS_FILE = "metrics.csv";
  public static final String EVALUATIONS_FILE = "evaluations.csv";
  static final String METRICS_HEADER =
      "step,episode,return,length,critic_loss,actor_loss,mean_q,steps_per_s,env,replay_ratio";
  static final String EVALUATIONS_HEADER = "step,mean_return,std_return,episodes,returns";

  private final BufferedWriter metrics;
  private final BufferedWriter evaluations;

  /**
   * Opens the files in {@code runDir}.
   *
   * @param resumeStep -1 for a new run (files replaced); otherwise the checkpoint's step: existing rows with a
   *     larger step are dropped and new rows appended
   */
  public MetricsWriter(Path runDir, long resumeStep) {
    try {
      Files.createDirectories(runDir);
      this.metrics = open(runDir.resolve(METRICS_FILE), METRICS_HEADER, resumeStep);
      this.evaluations = open(runDir.resolve(EVALUATIONS_FILE), EVALUATIONS_HEADER, resumeStep);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics files in " + runDir + ": " + e.getMessage(), e);
    }
  }

  /** Appends a training episode. */
  public void write(EpisodeMetrics m) {
    writeLine(metrics, String.format(Locale.ROOT, "%d,%d,%.6g,%d,%s,%s,%s,%.2f,%d,%s", m.step(), m.episode(),
        m.episodeReturn(), m.length(), number(m.criticLoss()), number(m.actorLoss()), number(m.meanQ()),
        m.stepsPerSecond(), m.env(), number(m.replayRatio())));
  }

  /** Appends an evaluation; the individual returns go in one space-separated field. */
  public void write(EvaluationResult e) {
    String returns = java.util.Arrays.stream(e.returns())
        .mapToObj(r -> String.format(Locale.ROOT, "%.4f", r))
        .collect(Collectors.joining(" "));
    writeLine(evaluations, String.format(Locale.ROOT, "%d,%.6g,%.6g,%d,%s", e.step(), e.mean(), e.std(),
        e.returns().length, returns));
  }

  @Override
  public void close() {
    try {
      metrics.close();
      evaluations.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close metrics files: " + e.getMessage(), e);
    }
  }

  private static String number(double x) {
    return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.6g", x);
  }

  private static void writeLine(BufferedWriter writer, String line) {
    try {
      writer.write(line);
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
    }
  }

  private static BufferedWriter open(Path file, String header, long resumeStep) throws IOException {
    List<String> kept = new ArrayList<>();
    kept.add(header);
    if (resumeStep >= 0 && Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.equals(header) && stepOf(line) <= resumeStep) {
          kept.add(line);
        }
      }
    }
    Files.write(file, kept, StandardCharsets.UTF_8);
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static long stepOf(String line) {
    try {
      return Long.parseLong(line.substring(0, line.indexOf(',')));
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
