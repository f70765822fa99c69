package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SB3 side's process contract: arguments in, config.json written, result.json read back, failures named. */
class Sb3ProcessTest {

  /** Stands in for sb3_learning.py: checks its arguments and writes the result file as the script does. */
  private static final String FAKE_SCRIPT = """
      [ "$1" = --config ] && [ -f "$2" ] && [ "$3" = --out ] && [ "$5" = --torch-threads ] || exit 9
      grep -q '"envId" : "Pendulum-v1"' "$2" || exit 8
      cat > "$4/result.json" <<JSON
      {"seed": 3, "final": {"mean": -150.5, "std": 80.25}, "wallSeconds": 100.0, "stepsPerSecond": 95.5,
       "torchThreads": $6, "versions": {"stable-baselines3": "2.9.2", "torch": "2.15.0"}}
      JSON
      """;

  @Test
  void run_writesTheConfig_andReadsTheResult(@TempDir Path dir) {
    Sb3Process process = new Sb3Process(List.of("sh", "-c", FAKE_SCRIPT, "sh"), 2);
    Sb3Process.Details details = process.run(Map.of("envId", "Pendulum-v1", "seed", 3), dir.resolve("sb3-seed-3"));
    assertEquals(new SeedResult(3, -150.5, 80.25, 100.0, 95.5), details.result());
    assertEquals(2, details.torchThreads());
    assertEquals("stable-baselines3 2.9.2, torch 2.15.0", details.versions());
    assertTrue(Files.exists(dir.resolve("sb3-seed-3/config.json")));
  }

  @Test
  void run_scriptFails_namesTheCommandAndExitCode(@TempDir Path dir) {
    Sb3Process process = new Sb3Process(List.of("sh", "-c", "exit 3", "sh"), 1);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> process.run(Map.of("envId", "Pendulum-v1"), dir));
    assertTrue(e.getMessage().startsWith("SB3 run 'sh -c exit 3 sh --config "), e.getMessage());
    assertTrue(e.getMessage().endsWith("exited with code 3 (its output is above)"), e.getMessage());
  }

  @Test
  void check_passesTheCheckFlag_andFailsLikeARun(@TempDir Path dir) {
    String onlyCheck = "for a; do [ \"$a\" = --check ] && exit 0; done; exit 4";
    new Sb3Process(List.of("sh", "-c", onlyCheck, "sh"), 1).check(Map.of("envId", "Pendulum-v1"), dir);
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        new Sb3Process(List.of("sh", "-c", "exit 4", "sh"), 1).check(Map.of("envId", "Pendulum-v1"), dir));
    assertTrue(e.getMessage().endsWith("--check' exited with code 4 (its output is above)"), e.getMessage());
  }

  @Test
  void emptyCommand_saysHowToSetItUp() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sb3Process(List.of(), 1));
    assertTrue(e.getMessage().contains("bin/bench-learning --sb3"), e.getMessage());
  }

  @Test
  void writtenConfig_isTheFlatMapAsJson(@TempDir Path dir) throws Exception {
    Sb3Process process = new Sb3Process(List.of("sh", "-c", FAKE_SCRIPT, "sh"), 1);
    process.run(Map.of("envId", "Pendulum-v1", "netArch", List.of(400, 300)), dir);
    Map<?, ?> written = new ObjectMapper().readValue(dir.resolve("config.json").toFile(), Map.class);
    assertEquals(Map.of("envId", "Pendulum-v1", "netArch", List.of(400, 300)), written);
  }
}
