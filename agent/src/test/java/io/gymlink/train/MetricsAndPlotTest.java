package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsAndPlotTest {

  private static EpisodeMetrics episode(long step, long n) {
    return new EpisodeMetrics(step, n, -1000 + step / 10.0, 200, 0.5, Double.NaN, -12.5, 99.5, 0, 1.0);
  }

  @Test
  void write_thenResume_dropsRowsAfterCheckpoint(@TempDir Path dir) throws Exception {
    try (MetricsWriter writer = new MetricsWriter(dir, -1)) {
      for (int i = 1; i <= 5; i++) {
        writer.write(episode(200L * i, i));
      }
      writer.write(new EvaluationResult(400, new double[] {-100, -200}, new int[] {200, 200}));
      writer.write(new EvaluationResult(800, new double[] {-100}, new int[] {200}));
    }
    List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(MetricsWriter.METRICS_HEADER, lines.get(0));
    assertEquals("200,1,-980.000,200,0.500000,,-12.5000,99.50,0,1.00000", lines.get(1));
    try (MetricsWriter writer = new MetricsWriter(dir, 600)) {
      writer.write(episode(800, 4));
    }
    lines = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(5, lines.size());
    assertTrue(lines.get(4).startsWith("800,4,"), lines.get(4));
    List<String> evals = Files.readAllLines(dir.resolve("evaluations.csv"));
    assertEquals(List.of(MetricsWriter.EVALUATIONS_HEADER, "400,-150.000,50.0000,2,-100.0000 -200.0000"), evals);
  }

  @Test
  void plot_writesPng(@TempDir Path dir) throws Exception {
    try (MetricsWriter writer = new MetricsWriter(dir, -1)) {
      for (int i = 1; i <= 30; i++) {
        writer.write(episode(200L * i, i));
      }
      writer.write(new EvaluationResult(2000, new double[] {-300, -200}, new int[] {200, 200}));
      writer.write(new EvaluationResult(4000, new double[] {-150, -170}, new int[] {200, 200}));
    }
    Path png = LearningCurvePlot.write(dir, "Pendulum-v1, seed 0");
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1000, image.getWidth());
    assertEquals(560, image.getHeight());
  }

  @Test
  void plot_emptyRun_stillWritesPng(@TempDir Path dir) throws Exception {
    new MetricsWriter(dir, -1).close();
    assertTrue(Files.size(LearningCurvePlot.write(dir, "empty")) > 0);
  }
}
