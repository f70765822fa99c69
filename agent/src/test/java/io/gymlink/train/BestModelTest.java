package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.testing.InMemoryEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN/best_model: the policy of the best evaluation so far (SB3's EvalCallback best model), as a checkpoint
 * directory, across a resume. In-memory env, no server.
 */
class BestModelTest {

  private static RunConfig config(long totalTimesteps) {
    Map<String, Object> overrides = new LinkedHashMap<>(Map.of("totalTimesteps", totalTimesteps, "seed", 5L,
        "netArch", List.of(8, 8), "batchSize", 8, "bufferSize", 2000, "evalFreq", 50, "evalEpisodes", 2,
        "checkpointFreq", 0, "learningStarts", 50));
    return ConfigResolver.withBundledPresets("ddpg").resolve("InMemory-v0", null, overrides).config();
  }

  private static RunContext context(Path runDir, RecordingReporter progress) {
    return new RunContext(runDir, progress, Versions.current(), RunContext.LOCAL_SERVER);
  }

  /** evaluations.csv as (step, mean) rows. */
  private static List<double[]> evaluations(Path runDir) throws Exception {
    List<double[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(runDir.resolve("evaluations.csv")).subList(1,
        Files.readAllLines(runDir.resolve("evaluations.csv")).size())) {
      String[] cells = line.split(",");
      rows.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])});
    }
    return rows;
  }

  /** The first evaluation with the highest mean, and how many times the best improved (saves). */
  private static double[] firstBest(List<double[]> rows) {
    double[] best = null;
    int improvements = 0;
    for (double[] row : rows) {
      if (best == null || row[1] > best[1]) {
        best = row;
        improvements++;
      }
    }
    return new double[] {best[0], best[1], improvements};
  }

  @Test
  void bestModel_isThePolicyOfTheFirstBestEvaluation_andResumeKeepsCompetingWithIt(@TempDir Path runDir)
      throws Exception {
    RecordingReporter progress = new RecordingReporter();
    Trainer.start(config(300), new InMemoryEnv(40), new InMemoryEnv(40), context(runDir, progress)).run();
    checkBestModel(runDir, progress);

    Checkpoint saved = CheckpointStore.load(runDir);
    Map<String, Object> longer = saved.config().toMap();
    longer.put("totalTimesteps", 1200L);
    RecordingReporter resumed = new RecordingReporter();
    Trainer.resume(runDir, saved, RunConfig.fromMap(longer), new InMemoryEnv(40), new InMemoryEnv(40),
        context(runDir, resumed)).run();
    checkBestModel(runDir, resumed);
    // The resumed session saves only evaluations better than the first session's best, not its own first one.
    List<double[]> rows = evaluations(runDir);
    double bestBefore = firstBest(rows.subList(0, 6))[1];
    assertEquals(300, (long) rows.get(5)[0]);
    assertTrue(rows.get(6)[1] < bestBefore, "this seed's first resumed evaluation is worse than the best before: "
        + rows.get(6)[1] + " vs " + bestBefore + ", so a best model that forgot the first session would replace it");
    long improvements = 0;
    for (double[] row : rows.subList(6, rows.size())) {
      if (row[1] > bestBefore) {
        bestBefore = row[1];
        improvements++;
      }
    }
    assertEquals(improvements, resumed.lines.stream().filter(l -> l.startsWith("new best mean return")).count(),
        resumed.lines::toString);
    // The locator of --resume and eval RUN still finds the run's own checkpoint, not the best model.
    assertEquals(1200, CheckpointStore.load(runDir).numTimesteps());
  }

  private static void checkBestModel(Path runDir, RecordingReporter progress) throws Exception {
    List<double[]> rows = evaluations(runDir);
    assertTrue(rows.size() >= 6, "evaluations: " + rows.size());
    double[] best = firstBest(rows);
    Path dir = runDir.resolve(BestModel.DIRECTORY);
    JsonNode evaluation = new ObjectMapper().readTree(dir.resolve(BestModel.EVALUATION).toFile());
    assertEquals((long) best[0], evaluation.get("step").asLong());
    assertEquals(best[1], evaluation.get("mean").asDouble(), 1e-3, "evaluations.csv rounds the mean");
    assertEquals(2, evaluation.get("returns").size());
    Checkpoint model = CheckpointStore.load(dir);
    assertEquals((long) best[0], model.numTimesteps(), "the learner as it was at that evaluation");
    assertFalse(model.hasReplayBuffer());
    assertTrue(progress.logged("policy saved to " + dir) || progress.lines.stream().noneMatch(l -> l.startsWith(
        "new best")), progress.lines::toString);
    assertFalse(Files.exists(runDir.resolve(".best_model-tmp")));
  }

  @Test
  void newBest_isLogged_onlyWhenTheMeanImproves(@TempDir Path runDir) throws Exception {
    RecordingReporter progress = new RecordingReporter();
    Trainer.start(config(600), new InMemoryEnv(40), new InMemoryEnv(40), context(runDir, progress)).run();
    long saves = progress.lines.stream().filter(l -> l.startsWith("new best mean return")).count();
    assertEquals((long) firstBest(evaluations(runDir))[2], saves, progress.lines::toString);
  }
}
