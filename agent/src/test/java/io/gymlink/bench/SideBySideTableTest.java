package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTableTest {

  private static final SideBySideTable.Setting SETTING = new SideBySideTable.Setting("LunarLanderContinuous-v3",
      "DDPG", 100_000, 10, 1, 1, "stable-baselines3 2.9.2, torch 2.15.0");

  private static String print(List<SeedResult> gymlink, List<SeedResult> sb3) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    SideBySideTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), SETTING, gymlink, sb3, "0.50 0.40 0.30");
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void print_bothSides_oneSummaryRowWithMeanAndStdAcrossSeeds() {
    String out = print(
        List.of(new SeedResult(0, 200, 50, 800, 130), new SeedResult(1, 240, 20, 840, 126)),
        List.of(new SeedResult(0, 180, 60, 1000, 96), new SeedResult(1, 200, 30, 1100, 94)));
    assertTrue(out.contains("| LunarLanderContinuous-v3 | DDPG | 100000 | 0,1 | 220.0 ± 20.0 | 190.0 ± 10.0"
        + " | 13.7 min | 17.5 min | 128.0 | 95.0 | 1 / 1 |"), out);
    assertTrue(out.contains("| 1 | 240.0 ± 20.0 | 200.0 ± 30.0 | 14.0 min | 18.3 min | 126.0 | 94.0 |"), out);
    assertTrue(out.contains("gymlink / SB3: env-steps/s 1.35x, wall time 0.78x; final eval mean >= SB3's"), out);
    assertTrue(out.contains("SB3: torch 1 thread(s), stable-baselines3 2.9.2, torch 2.15.0"), out);
    assertTrue(out.contains("load average 0.50 0.40 0.30 at start"), out);
  }

  @Test
  void print_gymlinkOnly_perSeedRowsWithoutSb3Columns() {
    String out = print(List.of(new SeedResult(4, -125.3, 88.3, 49, 460.2)), List.of());
    assertTrue(out.contains("| 4 | -125.3 ± 88.3 | 49 s | 460.2 |"), out);
    assertTrue(!out.contains("SB3"), out);
  }

  @Test
  void duration_picksAReadableUnit() {
    assertEquals("47 s", SideBySideTable.duration(47));
    assertEquals("14.2 min", SideBySideTable.duration(852));
    assertEquals("3.1 h", SideBySideTable.duration(11_160));
  }
}
