package io.gymlink.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The best policy of a run so far (SB3's {@code EvalCallback} with {@code best_model_save_path}, rl-zoo's
 * {@code best_model.zip}): when an evaluation's mean return beats every earlier one, the learner is saved, without
 * the replay buffer, as the checkpoint directory {@code RUN/best_model/} ({@code gymlink eval --checkpoint
 * RUN/best_model}, and {@code export} and {@code submit} alike), with {@code evaluation.json} recording the
 * evaluation that chose it. A resumed run keeps competing against that one.
 */
final class BestModel {

  static final String DIRECTORY = "best_model";
  static final String EVALUATION = "evaluation.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private double bestMean = Double.NEGATIVE_INFINITY;

  /** A resumed run continues from the saved best evaluation; a new one starts with none. */
  void onTrainingStart(TrainingRun run) {
    bestMean = Double.NEGATIVE_INFINITY;
    Path file = run.context().runDir().resolve(DIRECTORY).resolve(EVALUATION);
    if (run.resumed() && Files.isRegularFile(file)) {
      try {
        JsonNode saved = JSON.readTree(file.toFile());
        bestMean = saved.path("mean").asDouble(Double.NEGATIVE_INFINITY);
      } catch (IOException e) {
        throw new CheckpointException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Saves the run's policy if {@code evaluation} beats the best so far.
   *
   * @return the best-model directory if it was written, else null
   */
  Path offer(TrainingRun run, EvaluationResult evaluation) {
    if (!(evaluation.mean() > bestMean)) {
      return null;
    }
    Path dir = CheckpointStore.save(run.context().runDir(), DIRECTORY, run.snapshot(), null);
    ObjectNode json = JSON.createObjectNode();
    json.put("step", evaluation.step());
    json.put("mean", evaluation.mean());
    json.put("std", evaluation.std());
    json.set("returns", JSON.valueToTree(evaluation.returns()));
    json.set("lengths", JSON.valueToTree(evaluation.lengths()));
    try {
      JSON.writeValue(dir.resolve(EVALUATION).toFile(), json);
    } catch (IOException e) {
      throw new CheckpointException("cannot write " + dir.resolve(EVALUATION) + ": " + e.getMessage(), e);
    }
    bestMean = evaluation.mean();
    return dir;
  }
}
