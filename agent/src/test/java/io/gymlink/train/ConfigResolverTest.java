package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.noise.NoiseType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigResolverTest {

  private final ConfigResolver resolver = ConfigResolver.withBundledPresets("ddpg");

  @Test
  void pendulumPreset_isRlZoosDdpgPendulum() {
    RunConfig config = resolver.resolve("Pendulum-v1", null, Map.of()).config();
    assertEquals(List.of(400, 300), config.td3().netArch());
    assertEquals(0.98, config.td3().gamma());
    assertEquals(200_000, config.offPolicy().bufferSize());
    assertEquals(10_000, config.offPolicy().learningStarts());
    assertEquals(NoiseType.NORMAL, config.offPolicy().actionNoise());
    assertEquals(0.1, config.offPolicy().actionNoiseSigma());
    assertEquals(1e-3, config.td3().learningRate());
    assertEquals("ddpg", config.train().algo());
    assertFalse(config.td3().twinCritics());
    assertEquals(20_000, config.train().totalTimesteps());
    assertEquals("Pendulum-v1", config.train().envId());
  }

  @Test
  void mountainCarPreset_usesOrnsteinUhlenbeck() {
    OffPolicyConfig offPolicy = resolver.resolve("MountainCarContinuous-v0", null, Map.of()).config().offPolicy();
    assertEquals(NoiseType.ORNSTEIN_UHLENBECK, offPolicy.actionNoise());
    assertEquals(0.5, offPolicy.actionNoiseSigma());
  }

  @Test
  void envWithoutPreset_getsDefaultSection() {
    ConfigResolver.Resolved resolved = resolver.resolve("InvertedPendulum-v5", null, Map.of());
    assertEquals(0.99, resolved.config().td3().gamma());
    assertEquals(100_000, resolved.config().train().totalTimesteps());
    assertTrue(resolved.layers().stream().noneMatch(l -> l.contains("InvertedPendulum")),
        resolved.layers().toString());
  }

  /** The issue-10 suite: every env has a preset in both files, and each resolves to a valid config. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ddpg", "td3"})
  void presets_coverTheContinuousControlSuite_andResolve(String algo) {
    ConfigResolver presets = ConfigResolver.withBundledPresets(algo);
    Set<String> suite = Set.of("Pendulum-v1", "MountainCarContinuous-v0", "LunarLanderContinuous-v3",
        "BipedalWalker-v3", "HalfCheetah-v5", "Hopper-v5", "Walker2d-v5");
    assertTrue(presets.presetEnvIds().containsAll(suite), presets.presetEnvIds().toString());
    for (String env : presets.presetEnvIds()) {
      ConfigResolver.Resolved resolved = presets.resolve(env, null, Map.of());
      RunConfig config = resolved.config();
      assertTrue(resolved.layers().stream().anyMatch(l -> l.endsWith("section '" + env + "'")), env);
      assertEquals(algo, config.train().algo(), env);
      assertEquals(algo.equals("td3"), config.td3().twinCritics(), env);
      assertEquals(algo.equals("td3") ? 2 : 1, config.td3().policyDelay(), env);
      assertEquals(List.of(400, 300), config.td3().netArch(), env);
    }
  }

  @Test
  void lunarLanderAndMujocoPresets_areRlZoos() {
    RunConfig lunar = resolver.resolve("LunarLanderContinuous-v3", null, Map.of()).config();
    assertEquals(300_000, lunar.train().totalTimesteps());
    assertEquals(0.98, lunar.td3().gamma());
    assertEquals(200_000, lunar.offPolicy().bufferSize());
    assertEquals(10_000, lunar.offPolicy().learningStarts());
    // rl-zoo's preset before 8cecab4, the one its published result was trained with: per episode, batch 100.
    assertEquals(List.of(1, TrainFreqUnit.EPISODE, -1, 100), List.of(lunar.offPolicy().trainFreq(),
        lunar.offPolicy().trainFreqUnit(), lunar.offPolicy().gradientSteps(), lunar.td3().batchSize()));
    RunConfig cheetah = ConfigResolver.withBundledPresets("td3").resolve("HalfCheetah-v5", null, Map.of()).config();
    assertEquals(1_000_000, cheetah.train().totalTimesteps());
    assertEquals(0.99, cheetah.td3().gamma());
    assertEquals(1_000_000, cheetah.offPolicy().bufferSize());
    assertEquals(10_000, cheetah.offPolicy().learningStarts());
    assertEquals(0.2, cheetah.td3().targetPolicyNoise());
    // The MuJoCo and BipedalWalker TD3 presets, too, are rl-zoo's before 8cecab4 (SB3 < 2.3 TD3 defaults).
    for (String env : List.of("HalfCheetah-v5", "Walker2d-v5", "BipedalWalker-v3", "LunarLanderContinuous-v3")) {
      RunConfig td3 = ConfigResolver.withBundledPresets("td3").resolve(env, null, Map.of()).config();
      assertEquals(List.of(1, TrainFreqUnit.EPISODE, -1, 100, 1.0e-3), List.of(td3.offPolicy().trainFreq(),
          td3.offPolicy().trainFreqUnit(), td3.offPolicy().gradientSteps(), td3.td3().batchSize(),
          td3.td3().learningRate()), env);
    }
    for (String env : List.of("HalfCheetah-v5", "Hopper-v5", "Walker2d-v5", "BipedalWalker-v3")) {
      RunConfig ddpg = resolver.resolve(env, null, Map.of()).config();
      assertEquals(List.of(1, TrainFreqUnit.EPISODE, -1, 100), List.of(ddpg.offPolicy().trainFreq(),
          ddpg.offPolicy().trainFreqUnit(), ddpg.offPolicy().gradientSteps(), ddpg.td3().batchSize()), env);
    }
    RunConfig hopper = ConfigResolver.withBundledPresets("td3").resolve("Hopper-v5", null, Map.of()).config();
    assertEquals(List.of(1, TrainFreqUnit.STEP, 1, 256, 3.0e-4), List.of(hopper.offPolicy().trainFreq(),
        hopper.offPolicy().trainFreqUnit(), hopper.offPolicy().gradientSteps(), hopper.td3().batchSize(),
        hopper.td3().learningRate()));
  }

  @Test
  void configFile_overridesPreset_andFlagsOverrideFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my.yml");
    Files.writeString(file, "gamma: 0.9\nnetArch: [64, 64]\ntotalTimesteps: 5000\nactionNoise: ornstein-uhlenbeck\n");
    RunConfig config = resolver.resolve("Pendulum-v1", file, Map.of("totalTimesteps", 777L)).config();
    assertEquals(0.9, config.td3().gamma());
    assertEquals(List.of(64, 64), config.td3().netArch());
    assertEquals(NoiseType.ORNSTEIN_UHLENBECK, config.offPolicy().actionNoise());
    assertEquals(777, config.train().totalTimesteps());
    assertEquals(200_000, config.offPolicy().bufferSize());
  }

  @Test
  void configFile_rlZooLayoutUnderEnvId_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zoo.yml");
    Files.writeString(file, "Pendulum-v1:\n  batchSize: 64\n");
    assertEquals(64, resolver.resolve("Pendulum-v1", file, Map.of()).config().td3().batchSize());
  }

  @Test
  void configFile_unknownKey_namesFileAndKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("typo.yml");
    Files.writeString(file, "gama: 0.9\n");
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("Pendulum-v1", file, Map.of()));
    assertTrue(e.getMessage().startsWith("config file " + file + " has unknown key(s) [gama]"), e.getMessage());
    assertTrue(e.getMessage().contains("gamma"), e.getMessage());
  }

  @Test
  void invalidValue_givesValidationMessage() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("gamma", 1.5, "evalEpisodes", 0)));
    assertTrue(e.getMessage().contains("evalEpisodes must be at least 1, got 0"), e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("gamma", 1.5)));
    assertTrue(e2.getMessage().contains("gamma must be in [0, 1], got 1.5"), e2.getMessage());
  }

  @Test
  void illTypedValue_namesKey() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("bufferSize", "lots")));
    assertTrue(e.getMessage().startsWith("config key 'bufferSize'"), e.getMessage());
  }

  @Test
  void unknownNoiseType_listsChoices() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("actionNoise", "pink")));
    assertTrue(e.getMessage().contains("actionNoise"), e.getMessage());
    assertTrue(e.getMessage().contains("ORNSTEIN_UHLENBECK"), e.getMessage());
  }

  @Test
  void toMap_fromMap_roundTrips() {
    RunConfig config = resolver.resolve("Pendulum-v1", null, Map.of("maxEpisodeSteps", 50)).config();
    assertEquals(config, RunConfig.fromMap(config.toMap()));
  }

  @Test
  void td3Presets_switchOnTd3sAdditions() {
    RunConfig config = ConfigResolver.withBundledPresets("td3").resolve("Pendulum-v1", null, Map.of()).config();
    assertEquals("td3", config.train().algo());
    assertTrue(config.td3().twinCritics());
    assertEquals(2, config.td3().policyDelay());
    assertEquals(0.2, config.td3().targetPolicyNoise());
    assertEquals("TD3", config.td3().algorithmName());
  }

  @Test
  void algoInAConfigLayer_mustAgreeWithTheChosenOne() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("algo", "td3")));
    assertTrue(e.getMessage().contains("choose it with --algo"), e.getMessage());
  }

  @Test
  void unknownAlgo_isRefusedByName() {
    var e = assertThrows(IllegalArgumentException.class, () -> ConfigResolver.withBundledPresets("sac"));
    assertTrue(e.getMessage().contains("\"sac\""), e.getMessage());
  }

  @Test
  void mapWithoutAlgo_asOlderRunsWroteIt_getsTheAlgorithmOfItsFlags() {
    Map<String, Object> old = new java.util.LinkedHashMap<>(
        resolver.resolve("Pendulum-v1", null, Map.of()).config().toMap());
    old.remove("algo");
    old.put("saveReplayBuffer", false);
    RunConfig config = RunConfig.fromMap(old);
    assertEquals("ddpg", config.train().algo());
    assertEquals(ReplayBufferSaving.NEVER, config.train().saveReplayBuffer());
    old.put("twinCritics", true);
    assertEquals("td3", RunConfig.fromMap(old).train().algo());
  }

  @Test
  void saveReplayBuffer_acceptsAutoAndBooleans() {
    assertEquals(ReplayBufferSaving.AUTO,
        resolver.resolve("Pendulum-v1", null, Map.of()).config().train().saveReplayBuffer());
    assertEquals(ReplayBufferSaving.ALWAYS, resolver.resolve("Pendulum-v1", null,
        Map.of("saveReplayBuffer", true)).config().train().saveReplayBuffer());
    var e = assertThrows(IllegalArgumentException.class,
        () -> resolver.resolve("Pendulum-v1", null, Map.of("saveReplayBuffer", "sometimes")));
    assertTrue(e.getMessage().contains("saveReplayBuffer must be true, false or auto"), e.getMessage());
  }

  @Test
  void trainFreqUnit_defaultsToStep_andAcceptsSb3sSpellingAndRlZoosPair(@TempDir Path dir) throws Exception {
    assertEquals(TrainFreqUnit.STEP,
        resolver.resolve("Pendulum-v1", null, Map.of()).config().offPolicy().trainFreqUnit());
    assertEquals(TrainFreqUnit.EPISODE, resolver.resolve("Pendulum-v1", null,
        Map.of("trainFreqUnit", "episode")).config().offPolicy().trainFreqUnit());
    Path file = dir.resolve("zoo.yml");
    Files.writeString(file, "MountainCarContinuous-v0:\n  trainFreq: [2, \"episode\"]\n  gradientSteps: -1\n");
    OffPolicyConfig offPolicy = resolver.resolve("MountainCarContinuous-v0", file, Map.of()).config().offPolicy();
    assertEquals(List.of(2, TrainFreqUnit.EPISODE, -1),
        List.of(offPolicy.trainFreq(), offPolicy.trainFreqUnit(), offPolicy.gradientSteps()));
    assertEquals(1.0, offPolicy.replayRatio());
  }

  @Test
  void trainFreqPair_malformedOrContradicted_isRefusedNamingTheKey() {
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("Pendulum-v1", null,
        Map.of("trainFreq", List.of(1, "episode", 3))));
    assertTrue(e.getMessage().startsWith("command-line flags: config key 'trainFreq': expected a number or a pair [number, \"step\" or"
        + " \"episode\"], got [1, episode, 3]"), e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("Pendulum-v1", null,
        Map.of("trainFreq", List.of(1, "episode"), "trainFreqUnit", "step")));
    assertEquals("command-line flags: config key 'trainFreq' [1, episode] names unit 'episode', but trainFreqUnit is"
        + " 'step'", e2.getMessage());
    var e3 = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("Pendulum-v1", null,
        Map.of("trainFreqUnit", "fortnight")));
    assertTrue(e3.getMessage().startsWith("config key 'trainFreqUnit'"), e3.getMessage());
  }

  @Test
  void trainFreqUnitEpisode_withAsyncCollection_isRefusedSayingWhy() {
    var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("Pendulum-v1", null,
        Map.of("trainFreqUnit", "episode", "asyncCollection", true)));
    assertTrue(e.getMessage().contains("trainFreqUnit EPISODE trains between whole episodes, which needs"
        + " synchronous collection, but asyncCollection is true"), e.getMessage());
    assertTrue(e.getMessage().contains("drop --async, or train per step instead"), e.getMessage());
  }

  @Test
  void configFile_rlZoo2024LunarLanderPreset_switchesBackToPerStepTraining() {
    Path file = Path.of("..", "docs", "configs", "LunarLanderContinuous-v3-ddpg-rlzoo2024.yml");
    RunConfig config = resolver.resolve("LunarLanderContinuous-v3", file, Map.of()).config();
    assertEquals(List.of(1, TrainFreqUnit.STEP, 1, 256), List.of(config.offPolicy().trainFreq(),
        config.offPolicy().trainFreqUnit(), config.offPolicy().gradientSteps(), config.td3().batchSize()));
  }

  @Test
  void mapWithoutTrainFreqUnit_asOlderRunsWroteIt_countsSteps() {
    Map<String, Object> old = new java.util.LinkedHashMap<>(
        resolver.resolve("Pendulum-v1", null, Map.of()).config().toMap());
    old.remove("trainFreqUnit");
    assertEquals(TrainFreqUnit.STEP, RunConfig.fromMap(old).offPolicy().trainFreqUnit());
  }
}
