package io.gymlink.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gymlink.ddpg.DdpgConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fully resolved configuration of a run: how training is driven and the learner's hyper-parameters, convertible
 * to and from one flat map of SB3-named keys (the form of the presets file, {@code --config} files, the start-up
 * log and {@code config.json}).
 */
public record RunConfig(TrainConfig train, DdpgConfig ddpg) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  /** Keys of {@link TrainConfig}. */
  public static final Set<String> TRAIN_KEYS = componentNames(TrainConfig.class);
  /** Keys of {@link DdpgConfig}. */
  public static final Set<String> DDPG_KEYS = componentNames(DdpgConfig.class);

  /** Every key a config may set, sorted. */
  public static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>(TRAIN_KEYS);
    keys.addAll(DDPG_KEYS);
    return keys;
  }

  /** This config as one flat map, train keys first, in declaration order. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.putAll(recordToMap(train));
    map.putAll(recordToMap(ddpg));
    return map;
  }

  /**
   * Builds and validates a config from a flat map holding every key.
   *
   * @throws IllegalArgumentException naming the unknown, missing or ill-typed key, or the validation problems
   */
  public static RunConfig fromMap(Map<String, Object> map) {
    Set<String> unknown = new TreeSet<>(map.keySet());
    unknown.removeAll(knownKeys());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown config key(s) " + unknown + "; known keys: " + knownKeys());
    }
    Map<String, Object> trainMap = new LinkedHashMap<>();
    Map<String, Object> ddpgMap = new LinkedHashMap<>();
    map.forEach((key, value) -> (TRAIN_KEYS.contains(key) ? trainMap : ddpgMap).put(key, value));
    if (ddpgMap.get("actionNoise") instanceof String noise) {
      ddpgMap.put("actionNoise", noiseTypeName(noise));
    }
    return new RunConfig(convert(trainMap, TrainConfig.class), convert(ddpgMap, DdpgConfig.class));
  }

  /** Accepts rl-zoo's spellings ("normal", "ornstein-uhlenbeck") as well as the enum names. */
  private static String noiseTypeName(String noise) {
    String name = noise.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return name.equals("GAUSSIAN") ? "NORMAL" : name;
  }

  private static <T extends Record> T convert(Map<String, Object> map, Class<T> type) {
    Set<String> missing = new TreeSet<>(componentNames(type));
    missing.removeAll(map.keySet());
    missing.remove("maxEpisodeSteps");
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("config lacks key(s) " + missing);
    }
    try {
      return MAPPER.convertValue(map, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe(e), e);
    }
  }

  /** The validation message of the record's constructor, or Jackson's first line naming the bad key. */
  private static String describe(IllegalArgumentException e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
      if (cause instanceof IllegalArgumentException validation && !(cause.getClass().getName().contains("jackson"))) {
        return validation.getMessage();
      }
    }
    if (e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
      String path = mapping.getPath().isEmpty() ? "" : "config key '" + mapping.getPath().get(0).getFieldName()
          + "': ";
      return path + mapping.getOriginalMessage().lines().findFirst().orElse("invalid value");
    }
    return e.getMessage();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> recordToMap(Record record) {
    return MAPPER.convertValue(record, LinkedHashMap.class);
  }

  private static Set<String> componentNames(Class<? extends Record> type) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (var component : type.getRecordComponents()) {
      names.add(component.getName());
    }
    return names;
  }
}
