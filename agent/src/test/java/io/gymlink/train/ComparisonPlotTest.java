package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonPlotTest {

  private static Path csv(Path dir, String name, String... rows) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "step,mean_return,std_return,episodes,returns\n" + String.join("\n", rows) + "\n");
    return file;
  }

  @Test
  void write_twoSides_smallPng(@TempDir Path dir) throws Exception {
    Path g0 = csv(dir, "seed-0/evaluations.csv", "1000,-900,10,1,-900", "2000,-300,10,1,-300");
    Path g1 = csv(dir, "seed-1/evaluations.csv", "1000,-700,10,1,-700", "2000,-100,10,1,-100");
    Path s0 = csv(dir, "sb3-seed-0/evaluations.csv", "1000,-1000,10,1,-1000", "2000,-400,10,1,-400");
    Path png = ComparisonPlot.write(dir.resolve("docs/Pendulum-v1-ddpg.png"), "Pendulum-v1, DDPG", List.of(
        new ComparisonPlot.Side("gymlink DDPG", Color.RED, List.of(g0, g1)),
        new ComparisonPlot.Side("SB3 DDPG", Color.BLUE, List.of(s0)),
        new ComparisonPlot.Side("nothing yet", Color.GRAY, List.of(dir.resolve("missing.csv")))));
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
    assertTrue(bytes.length < 200_000, "PNG is " + bytes.length + " bytes");
  }

  @Test
  void readMeans_stepToMeanReturn(@TempDir Path dir) throws Exception {
    Map<Long, Double> means = ComparisonPlot.readMeans(csv(dir, "e.csv", "1000,-900.5,10,1,-900.5", "2000,-3,1,1,-3"));
    assertEquals(Map.of(1000L, -900.5, 2000L, -3.0), means);
    assertEquals(-800, ComparisonPlot.mean(List.of(-900.0, -700.0)));
    assertEquals(100, ComparisonPlot.std(List.of(-900.0, -700.0)));
  }
}
