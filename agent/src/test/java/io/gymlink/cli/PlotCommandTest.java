package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gymlink plot} on run directories made here (it reads files only; no env server). */
class PlotCommandTest {

  private static Path run(Path dir, String name, String... rows) throws Exception {
    Path run = dir.resolve(name);
    Files.createDirectories(run);
    Files.writeString(run.resolve("evaluations.csv"),
        "step,mean_return,std_return,episodes,returns\n" + String.join("\n", rows) + (rows.length > 0 ? "\n" : ""));
    return run;
  }

  @Test
  void plot_groups_writesPngAndCounts(@TempDir Path dir) throws Exception {
    Path a0 = run(dir, "a0", "1000,-900,1,1,-900", "2000,-300,1,1,-300");
    Path a1 = run(dir, "a1", "1000,-700,1,1,-700", "2000,-100,1,1,-100", "3000,0,1,1,0");
    Path b0 = run(dir, "b0", "1000,-1000,1,1,-1000");
    Path png = dir.resolve("out/curves.png");
    CliRun result = CliRun.gymlink("plot", a0.toString(), a1.toString(), "SB3=" + b0, "--label", "gymlink",
        "--out", png.toString(), "--title", "test");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("gymlink: 2 run(s)"), result.out());
    assertTrue(result.out().contains("SB3: 1 run(s)"), result.out());
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
  }

  @Test
  void plot_directoryWithoutEvaluations_usageErrorNamingIt(@TempDir Path dir) throws Exception {
    Path empty = run(dir, "empty");
    Path missing = dir.resolve("missing");
    CliRun result = CliRun.gymlink("plot", empty.toString(), "--out", dir.resolve("x.png").toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("run directory '" + empty + "'"), result.err());
    assertTrue(result.err().contains("found one without rows"), result.err());
    assertFalse(Files.exists(dir.resolve("x.png")));

    result = CliRun.gymlink("plot", "L=" + missing, "--out", dir.resolve("x.png").toString());
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("run directory '" + missing + "'") && result.err().contains("found none"),
        result.err());
    assertFalse(result.err().contains("Exception"), result.err());
  }


}
