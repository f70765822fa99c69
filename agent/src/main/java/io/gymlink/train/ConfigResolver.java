package io.gymlink.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves a run's configuration from layers, later ones winning: code defaults, the presets file's
 * {@code default} section, its section for the env id, a user's {@code --config} file, and command-line overrides.
 *
 * <p>The presets files are rl-zoo shaped, one per algorithm ({@code hyperparams/ddpg.yml} and
 * {@code hyperparams/td3.yml} on the class path). Unknown keys are refused with the name of the layer they came
 * from.
 */
public final class ConfigResolver {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String algo;
  private final Map<String, Object> presets;
  private final String presetsName;

  /** Class-path location of the presets of {@code algo} ("ddpg" or "td3"). */
  public static String presetsResource(String algo) {
    return "/hyperparams/" + algo + ".yml";
  }

  /** A resolver over the presets of {@code algo} shipped in the jar. */
  public static ConfigResolver withBundledPresets(String algo) {
    if (!TrainConfig.ALGOS.contains(algo)) {
      throw new IllegalArgumentException("algo must be \"ddpg\" or \"td3\", got \"" + algo + "\"");
    }
    String resource = presetsResource(algo);
    try (InputStream in = ConfigResolver.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("presets " + resource + " are missing from the class path");
      }
      return new ConfigResolver(algo, readYaml(in, resource), "presets " + resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read presets " + resource + ": " + e.getMessage(), e);
    }
  }

  /**
   * A resolver over presets already parsed: a map from section name ({@code default} or an env id) to keys.
   *
   * @param algo "ddpg" or "td3": the code defaults the presets apply to
   */
  public ConfigResolver(String algo, Map<String, Object> presets, String presetsName) {
    this.algo = algo;
    this.presets = presets;
    this.presetsName = presetsName;
  }

  /** The outcome: the config and the layers that contributed, for the start-up log. */
  public record Resolved(RunConfig config, List<String> layers) {}

  /**
   * Resolves the config of a run.
   *
   * @param envId the environment to train on
   * @param configFile a YAML file with the same keys (flat, or under the env id), or null
   * @param overrides keys set on the command line, applied last
   * @throws IllegalArgumentException naming the layer and key at fault, or the validation problems
   */
  public Resolved resolve(String envId, Path configFile, Map<String, Object> overrides) {
    List<String> layers = new ArrayList<>();
    Map<String, Object> merged = new LinkedHashMap<>(
        RunConfig.defaults(envId, algo).toMap());
    layers.add("code defaults (" + algo + ")");
    apply(merged, section("default"), presetsName + " section 'default'", layers);
    apply(merged, section(envId), presetsName + " section '" + envId + "'", layers);
    if (configFile != null) {
      apply(merged, readConfigFile(configFile, envId), "config file " + configFile, layers);
    }
    apply(merged, overrides, "command-line flags", layers);
    merged.put("envId", envId);
    if (!algo.equals(merged.get("algo"))) {
      throw new IllegalArgumentException("config key 'algo' is " + merged.get("algo") + " in a config layer, but"
          + " the run's algorithm is " + algo + "; choose it with --algo (config layers: "
          + String.join(" < ", layers) + ")");
    }
    try {
      return new Resolved(RunConfig.fromMap(merged), List.copyOf(layers));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " (config layers: " + String.join(" < ", layers) + ")", e);
    }
  }

  /** Env ids that have their own preset section. */
  public Set<String> presetEnvIds() {
    Set<String> ids = new TreeSet<>(presets.keySet());
    ids.remove("default");
    return ids;
  }

  private Map<String, Object> section(String name) {
    Object section = presets.get(name);
    if (section == null) {
      return null;
    }
    if (!(section instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(presetsName + " section '" + name + "' is not a map of keys");
    }
    return castKeys(map, presetsName + " section '" + name + "'");
  }

  private static void apply(Map<String, Object> merged, Map<String, Object> layer, String name, List<String> layers) {
    if (layer == null || layer.isEmpty()) {
      return;
    }
    Set<String> unknown = new TreeSet<>(layer.keySet());
    unknown.removeAll(RunConfig.knownKeys());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          name + " has unknown key(s) " + unknown + "; known keys: " + RunConfig.knownKeys());
    }
    try {
      merged.putAll(RunConfig.splitTrainFreqPair(layer));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
    layers.add(name);
  }

  private static Map<String, Object> readConfigFile(Path file, String envId) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("config file " + file + " does not exist");
    }
    Map<String, Object> content;
    try (InputStream in = Files.newInputStream(file)) {
      content = readYaml(in, file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    // rl-zoo layout: the keys under the env id; otherwise a flat map of keys.
    if (content.get(envId) instanceof Map<?, ?> section) {
      return castKeys(section, "config file " + file + " section '" + envId + "'");
    }
    return content;
  }

  private static Map<String, Object> readYaml(InputStream in, String name) throws IOException {
    Object parsed;
    try {
      parsed = YAML.readValue(in, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " is not valid YAML: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (parsed == null) {
      return Map.of();
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(name + " must hold a map of keys, got " + parsed.getClass().getSimpleName());
    }
    return castKeys(map, name);
  }

  private static Map<String, Object> castKeys(Map<?, ?> map, String name) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (!(key instanceof String s)) {
        throw new IllegalArgumentException(name + " has a non-string key " + key);
      }
      out.put(s, value);
    });
    return out;
  }
}
