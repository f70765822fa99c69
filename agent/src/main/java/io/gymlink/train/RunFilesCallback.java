package io.gymlink.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the run directory's descriptive files: {@code config.json} when a session starts (env, spaces, env
 * server, resolved config, versions) and {@code learning_curve.png} when a run finishes.
 */
final class RunFilesCallback implements TrainingCallback {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ProgressReporter progress;

  RunFilesCallback(ProgressReporter progress) {
    this.progress = progress;
  }

  @Override
  public void onTrainingStart(TrainingRun run) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("envId", run.config().train().envId());
    json.put("observationSpace", run.observationSpace().toString());
    json.put("actionSpace", run.actionSpace().toString());
    json.put("server", run.context().server());
    json.put("config", run.config().toMap());
    json.put("versions", run.context().versions());
    if (run.resumed()) {
      json.put("resumedAtStep", run.initialStep());
    }
    Path file = run.context().runDir().resolve("config.json");
    try {
      JSON.writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onTrainingEnd(TrainingRun run) {
    if (run.stopRequested()) {
      // Not while the JVM shuts down (Ctrl-C): AWT cannot start then. The resumed run draws the whole curve.
      return;
    }
    TrainConfig train = run.config().train();
    try {
      Path png = LearningCurvePlot.write(run.context().runDir(),
          train.envId() + " " + run.config().td3().algorithmName() + ", seed " + train.seed());
      progress.log("learning curve written to " + png);
    } catch (IOException | RuntimeException e) {
      // A missing plot must not lose a finished run; the CSV files hold the same data.
      progress.log("could not draw the learning curve: " + e);
    }
  }
}
