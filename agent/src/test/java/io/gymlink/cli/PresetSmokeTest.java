package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.testing.PythonEnvServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Every preset of the continuous-control suite trains end to end through the real env server (Box2D and MuJoCo
 * come with the default install): the preset with its networks, a few hundred steps with updates from step 100.
 * A smoke test, not a learning claim; those are in bin/bench-learning.
 */
class PresetSmokeTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "ddpg, LunarLanderContinuous-v3",
      "ddpg, MountainCarContinuous-v0",
      "td3, BipedalWalker-v3",
      "td3, HalfCheetah-v5",
      "td3, Hopper-v5",
      "td3, Walker2d-v5"})
  void preset_trainsAFewHundredSteps(String algo, String env, @TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GymlinkCli.commandLine(false);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("train", "--env", env, "--algo", algo, "--steps", "200", "--server", SERVER.target(),
        "--out", dir.resolve("run").toString(), "--set", "learningStarts=100", "--set", "evalEpisodes=1",
        "--set", "maxEpisodeSteps=100", "--set", "bufferSize=1000", "--set", "saveReplayBuffer=false");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().startsWith(env + ": 200 steps, final evaluation "), out.toString());
    List.of("metrics.csv", "evaluations.csv", "checkpoint/checkpoint.json")
        .forEach(file -> assertTrue(dir.resolve("run").resolve(file).toFile().exists(), file));
  }
}
