package io.gymlink.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gymlink.noise.NoiseType;
import io.gymlink.td3.Td3Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fully resolved configuration of a run: how training is driven, how experience is collected, and the learner's
 * hyper-parameters, convertible to and from one flat map of SB3-named keys (the form of the presets files,
 * {@code --config} files, the start-up log, {@code config.json} and checkpoints).
 */
public record RunConfig(TrainConfig train, OffPolicyConfig offPolicy, Td3Config td3) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  /** Keys of {@link TrainConfig}. */
  public static final Set<String> TRAIN_KEYS = componentNames(TrainConfig.class);
  /** Keys of {@link OffPolicyConfig}. */
  public static final Set<String> OFF_POLICY_KEYS = componentNames(OffPolicyConfig.class);
  /** Keys of {@link Td3Config}. */
  public static final Set<String> TD3_KEYS = componentNames(Td3Config.class);

  /** Every key a config may set, sorted. */
  public static Set<String> knownKeys() {
    Set<String> keys = new TreeSet<>(TRAIN_KEYS);
    keys.addAll(OFF_POLICY_KEYS);
    keys.addAll(TD3_KEYS);
    return keys;
  }

  /** The code defaults of a run on {@code envId} with {@code algo} ("ddpg" or "td3"). */
  public static RunConfig defaults(String envId, String algo) {
    return new RunConfig(TrainConfig.defaults(envId, algo), OffPolicyConfig.defaults(),
        "td3".equals(algo) ? Td3Config.td3() : Td3Config.ddpg());
  }

  /** This config as one flat map: train keys, then off-policy keys, then learner keys, in declaration order. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.putAll(recordToMap(train));
    map.putAll(recordToMap(offPolicy));
    map.putAll(recordToMap(td3));
    return map;
  }

  /**
   * Builds and validates a config from a flat map holding every key. A map written before {@code algo} existed
   * (an older run's {@code config.json} or checkpoint) gets the algorithm its TD3 flags describe; one written before
   * {@code numEnvs} and {@code asyncCollection} existed gets one env, synchronous; one before {@code actionRepeat},
   * no repeat; one before {@code trainFreqUnit}, unit STEP. rl-zoo's pair {@code trainFreq: [1, "episode"]} is
   * accepted for {@code trainFreq} and {@code trainFreqUnit}.
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
    Map<String, Object> offPolicyMap = new LinkedHashMap<>();
    Map<String, Object> td3Map = new LinkedHashMap<>();
    map.forEach((key, value) -> (TRAIN_KEYS.contains(key) ? trainMap
        : OFF_POLICY_KEYS.contains(key) ? offPolicyMap : td3Map).put(key, value));
    if (!trainMap.containsKey("algo")) {
      trainMap.put("algo", Boolean.TRUE.equals(td3Map.get("twinCritics")) ? "td3" : "ddpg");
    }
    if (trainMap.get("algo") instanceof String algo) {
      trainMap.put("algo", algo.trim().toLowerCase(Locale.ROOT));
    }
    TrainConfig.ADDED_KEY_DEFAULTS.forEach(trainMap::putIfAbsent);
    offPolicyMap.putAll(splitTrainFreqPair(offPolicyMap));
    OffPolicyConfig.ADDED_KEY_DEFAULTS.forEach(offPolicyMap::putIfAbsent);
    if (offPolicyMap.get("trainFreqUnit") instanceof String unit) {
      offPolicyMap.put("trainFreqUnit", TrainFreqUnit.canonicalName(unit));
    }
    if (offPolicyMap.get("actionNoise") instanceof String noise) {
      offPolicyMap.put("actionNoise", NoiseType.canonicalName(noise));
    }
    return new RunConfig(convert(trainMap, TrainConfig.class), convert(offPolicyMap, OffPolicyConfig.class),
        convert(td3Map, Td3Config.class));
  }

  /**
   * rl-zoo's {@code train_freq: [1, "episode"]} in one config layer: the pair becomes {@code trainFreq} and
   * {@code trainFreqUnit}, so that the layer sets both. Returns {@code layer} itself when it holds no pair.
   *
   * @throws IllegalArgumentException if the pair is malformed or the layer's own trainFreqUnit contradicts it
   */
  static Map<String, Object> splitTrainFreqPair(Map<String, Object> layer) {
    if (!(layer.get("trainFreq") instanceof List<?> pair)) {
      return layer;
    }
    if (pair.size() != 2 || !(pair.get(0) instanceof Number) || !(pair.get(1) instanceof String unit)) {
      throw new IllegalArgumentException("config key 'trainFreq': expected a number or a pair [number, \"step\" or"
          + " \"episode\"], got " + pair);
    }
    if (layer.containsKey("trainFreqUnit") && !TrainFreqUnit.canonicalName(String.valueOf(layer.get("trainFreqUnit")))
        .equals(TrainFreqUnit.canonicalName(unit))) {
      throw new IllegalArgumentException("config key 'trainFreq' " + pair + " names unit '" + unit
          + "', but trainFreqUnit is '" + layer.get("trainFreqUnit") + "'");
    }
    Map<String, Object> split = new LinkedHashMap<>(layer);
    split.put("trainFreq", pair.get(0));
    split.put("trainFreqUnit", unit);
    return split;
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
