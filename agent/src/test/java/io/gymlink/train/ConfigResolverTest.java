package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.ddpg.DdpgConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {

  private final ConfigResolver resolver = ConfigResolver.withBundledPresets();

  @Test
  void pendulumPreset_isRlZoosDdpgPendulum() {
    RunConfig config = resolver.resolve("Pendulum-v1", null, Map.of()).config();
    DdpgConfig ddpg = config.ddpg();
    assertArrayEquals(new int[] {400, 300}, ddpg.netArch());
    assertEquals(0.98, ddpg.gamma());
    assertEquals(200_000, ddpg.bufferSize());
    assertEquals(10_000, ddpg.learningStarts());
    assertEquals(DdpgConfig.NoiseType.NORMAL, ddpg.actionNoise());
    assertEquals(0.1, ddpg.actionNoiseSigma());
    assertEquals(1e-3, ddpg.learningRate());
    assertEquals(20_000, config.train().totalTimesteps());
    assertEquals("Pendulum-v1", config.train().envId());
  }

  @Test
  void mountainCarPreset_usesOrnsteinUhlenbeck() {
    DdpgConfig ddpg = resolver.resolve("MountainCarContinuous-v0", null, Map.of()).config().ddpg();
    assertEquals(DdpgConfig.NoiseType.ORNSTEIN_UHLENBECK, ddpg.actionNoise());
    assertEquals(0.5, ddpg.actionNoiseSigma());
  }

  @Test
  void envWithoutPreset_getsDefaultSection() {
    ConfigResolver.Resolved resolved = resolver.resolve("HalfCheetah-v5", null, Map.of());
    assertEquals(0.99, resolved.config().ddpg().gamma());
    assertEquals(100_000, resolved.config().train().totalTimesteps());
    assertTrue(resolved.layers().stream().noneMatch(l -> l.contains("HalfCheetah")), resolved.layers().toString());
  }

  @Test
  void configFile_overridesPreset_andFlagsOverrideFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("my.yml");
    Files.writeString(file, "gamma: 0.9\nnetArch: [64, 64]\ntotalTimesteps: 5000\nactionNoise: ornstein-uhlenbeck\n");
    RunConfig config = resolver.resolve("Pendulum-v1", file, Map.of("totalTimesteps", 777L)).config();
    assertEquals(0.9, config.ddpg().gamma());
    assertArrayEquals(new int[] {64, 64}, config.ddpg().netArch());
    assertEquals(DdpgConfig.NoiseType.ORNSTEIN_UHLENBECK, config.ddpg().actionNoise());
    assertEquals(777, config.train().totalTimesteps());
    assertEquals(200_000, config.ddpg().bufferSize());
  }

  @Test
  void configFile_rlZooLayoutUnderEnvId_isRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("zoo.yml");
    Files.writeString(file, "Pendulum-v1:\n  batchSize: 64\n");
    assertEquals(64, resolver.resolve("Pendulum-v1", file, Map.of()).config().ddpg().batchSize());
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
}
