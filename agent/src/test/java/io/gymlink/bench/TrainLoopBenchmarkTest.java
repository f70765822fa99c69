package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gymlink.train.RunConfig;
import io.gymlink.train.TrainFreqUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The configs the training-loop benchmark measures: the chosen algorithm's preset at the asked replay ratio. */
class TrainLoopBenchmarkTest {

  private static TrainLoopBenchmark parsed(String... args) {
    TrainLoopBenchmark benchmark = new TrainLoopBenchmark();
    new CommandLine(benchmark).parseArgs(args);
    return benchmark;
  }

  @Test
  void td3PresetKeepsItsHyperParametersAndTrainsOncePerTransition() {
    RunConfig config = parsed("--env", "Hopper-v5", "--algo", "td3")
        .config(new TrainLoopBenchmark.Case(1, false));

    assertEquals("TD3", config.td3().algorithmName());
    assertEquals(3.0e-4, config.td3().learningRate());
    assertEquals(256, config.td3().batchSize());
    assertEquals(TrainFreqUnit.STEP, config.offPolicy().trainFreqUnit());
    assertEquals(1, config.offPolicy().trainFreq());
    assertEquals(1, config.offPolicy().gradientSteps());
    assertEquals(100, config.offPolicy().learningStarts());
  }

  @Test
  void perEpisodePresetIsMeasuredPerStep() {
    RunConfig config = parsed("--env", "HalfCheetah-v5", "--algo", "td3", "--replay-ratio", "1/4")
        .config(new TrainLoopBenchmark.Case(4, true));

    assertEquals(100, config.td3().batchSize());
    assertEquals(TrainFreqUnit.STEP, config.offPolicy().trainFreqUnit());
    assertEquals(1, config.offPolicy().trainFreq());
    assertEquals(1, config.offPolicy().gradientSteps());
    assertEquals(0.25, config.offPolicy().replayRatio());
  }

  @Test
  void defaultAlgorithmIsDdpg() {
    assertEquals("DDPG", parsed().config(new TrainLoopBenchmark.Case(1, false)).td3().algorithmName());
  }

  @Test
  void replayRatioThatNoTrainFreqMakesIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainLoopBenchmark.trainFreqAndGradientSteps("1/3", 4));
    assertEquals("--replay-ratio 1/3 cannot be made with 4 envs: k must divide or be a multiple of numEnvs",
        e.getMessage());
    assertEquals(Map.of("trainFreq", 2, "trainFreqUnit", "step", "gradientSteps", 1),
        TrainLoopBenchmark.trainFreqAndGradientSteps("1/8", 4));
  }
}
