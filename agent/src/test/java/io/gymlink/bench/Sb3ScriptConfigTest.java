package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.train.ConfigResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every config gymlink resolves (every preset of both algorithms, as {@code gymlink train --print-config} prints
 * it) is accepted and mapped by the SB3 side's real script, run in the env server's venv: a new config key without
 * an SB3 mapping fails here, not in the middle of a long benchmark.
 */
class Sb3ScriptConfigTest {

  private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent()
      .resolve("envserver-adapter/scripts/sb3_learning.py");

  private static final String CHECK = """
      import importlib.util, sys
      from pathlib import Path
      spec = importlib.util.spec_from_file_location("sb3_learning", sys.argv[1])
      script = importlib.util.module_from_spec(spec)
      spec.loader.exec_module(script)
      for path in sys.argv[2:]:
          arguments = script.sb3_arguments(script.load_config(Path(path), None, None))
          print(Path(path).stem, arguments["policy_kwargs"]["n_critics"], arguments["policy_delay"])
      """;

  @Test
  void everyPreset_isMappedBySb3Learning(@TempDir Path dir) throws Exception {
    List<String> argv = new ArrayList<>(List.of(python(), "-c", CHECK, SCRIPT.toString()));
    List<String> expected = new ArrayList<>();
    for (String algo : List.of("ddpg", "td3")) {
      ConfigResolver presets = ConfigResolver.withBundledPresets(algo);
      for (String env : presets.presetEnvIds()) {
        Map<String, Object> config = presets.resolve(env, null, Map.of()).config().toMap();
        Path file = dir.resolve(algo + "_" + env + ".json");
        new ObjectMapper().writeValue(file.toFile(), config);
        argv.add(file.toString());
        expected.add(algo + "_" + env + (algo.equals("td3") ? " 2 2" : " 1 1"));
      }
    }
    Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the script check did not finish");
    assertEquals(0, process.exitValue(), output);
    assertEquals(expected, output.strip().lines().toList());
  }

  /** The python of the env server's venv, next to its gymlink-envserver command. */
  private static String python() {
    Path server = Path.of(PythonEnvServer.command().get(0));
    Path python = server.resolveSibling("python");
    assertTrue(Files.isExecutable(python), python + " is missing; run bin/bootstrap");
    return python.toString();
  }
}
