package io.gymlink.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.DType;
import io.gymlink.random.SplitMix64Random;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes and reads checkpoints: a directory {@code RUN/checkpoint/} holding {@code checkpoint.json} (env, spaces,
 * config, counters, RNG states, array index, versions) and big-endian binary files {@code learner.bin} (float32),
 * {@code normalizer.bin} (float64) and, optionally, {@code replay_buffer.bin}.
 *
 * <p>A checkpoint is written to a temporary directory and renamed into place, so a crash mid-write leaves the
 * previous checkpoint intact.
 */
public final class CheckpointStore {

  /** Format tag in {@code checkpoint.json}; a reader refuses others. */
  public static final String FORMAT = "gymlink-checkpoint/1";
  public static final String DIRECTORY = "checkpoint";
  static final String JSON = "checkpoint.json";
  static final String LEARNER = "learner.bin";
  static final String NORMALIZER = "normalizer.bin";
  static final String REPLAY_BUFFER = "replay_buffer.bin";
  /** Where the previous checkpoint waits while the new one is renamed into place. */
  private static final String OLD = "." + DIRECTORY + "-old";

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CheckpointStore() {}

  /**
   * Writes {@code checkpoint} (and {@code buffer}, unless null) to {@code runDir/checkpoint}, replacing any
   * previous one atomically.
   *
   * @return the checkpoint directory
   */
  public static Path save(Path runDir, Checkpoint checkpoint, ReplayBuffer buffer) {
    return save(runDir, DIRECTORY, checkpoint, buffer);
  }

  /**
   * Writes {@code checkpoint} (and {@code buffer}, unless null) to {@code runDir/directory}, replacing any previous
   * one atomically; e.g. {@value BestModel#DIRECTORY}, the best policy so far.
   *
   * @return the checkpoint directory
   */
  static Path save(Path runDir, String directory, Checkpoint checkpoint, ReplayBuffer buffer) {
    Path temp = runDir.resolve("." + directory + "-tmp");
    Path target = runDir.resolve(directory);
    Path old = runDir.resolve("." + directory + "-old");
    try {
      deleteRecursively(temp);
      Files.createDirectories(temp);
      writeLearner(temp.resolve(LEARNER), checkpoint);
      if (checkpoint.normalizer() != null) {
        writeNormalizer(temp.resolve(NORMALIZER), checkpoint.normalizer());
      }
      if (buffer != null) {
        try (DataOutputStream out = dataOut(temp.resolve(REPLAY_BUFFER))) {
          buffer.writeTo(out);
        }
      }
      // The JSON goes last: a directory without it is never mistaken for a complete checkpoint.
      JSON_MAPPER.writeValue(temp.resolve(JSON).toFile(), toJson(checkpoint, buffer != null));
      deleteRecursively(old);
      if (Files.exists(target)) {
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(old);
      return target;
    } catch (IOException e) {
      throw new CheckpointException("cannot write checkpoint to " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Finds the checkpoint directory for {@code path}: a checkpoint directory itself, or a run directory holding one.
   *
   * @throws CheckpointException if there is none
   */
  public static Path locate(Path path) {
    if (Files.isRegularFile(path.resolve(JSON))) {
      return path;
    }
    for (String name : new String[] {DIRECTORY, OLD}) {
      if (Files.isRegularFile(path.resolve(name).resolve(JSON))) {
        return path.resolve(name);
      }
    }
    if (!Files.exists(path)) {
      throw new CheckpointException("checkpoint " + path + " does not exist");
    }
    throw new CheckpointException(
        "no checkpoint in " + path + ": expected " + path.resolve(DIRECTORY).resolve(JSON) + " or " + path.resolve(JSON));
  }

  /** Reads the checkpoint at (or under) {@code path}, without the replay buffer. */
  public static Checkpoint load(Path path) {
    Path dir = locate(path);
    try {
      JsonNode json = JSON_MAPPER.readTree(dir.resolve(JSON).toFile());
      String format = json.path("format").asText();
      if (!FORMAT.equals(format)) {
        throw new CheckpointException(
            "checkpoint " + dir + " has format '" + format + "', this gymlink reads '" + FORMAT + "'");
      }
      return fromJson(dir, json);
    } catch (IOException | RuntimeException e) {
      if (e instanceof CheckpointException c) {
        throw c;
      }
      throw new CheckpointException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Fills {@code buffer} from the checkpoint's replay buffer. */
  public static void loadReplayBuffer(Path path, ReplayBuffer buffer) {
    Path file = locate(path).resolve(REPLAY_BUFFER);
    try (DataInputStream in = dataIn(file)) {
      buffer.readFrom(in);
    } catch (IOException e) {
      throw new CheckpointException("cannot read replay buffer " + file + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode toJson(Checkpoint c, boolean hasReplayBuffer) {
    ObjectNode root = JSON_MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("envId", c.envId());
    root.put("observationDim", c.observationDim());
    root.put("observationSpace", c.observationSpace());
    ObjectNode action = root.putObject("actionSpace");
    action.set("shape", JSON_MAPPER.valueToTree(c.actionSpace().shape()));
    action.put("dtype", c.actionSpace().dtype().numpyName());
    action.set("low", JSON_MAPPER.valueToTree(c.actionSpace().low()));
    action.set("high", JSON_MAPPER.valueToTree(c.actionSpace().high()));
    root.set("config", JSON_MAPPER.valueToTree(c.config().toMap()));
    ObjectNode counters = root.putObject("counters");
    counters.put("numTimesteps", c.numTimesteps());
    counters.put("episodes", c.episodes());
    counters.put("learnerUpdates", c.learnerUpdates());
    ObjectNode rng = root.putObject("rng");
    rng.set("run", JSON_MAPPER.valueToTree(c.runRng()));
    rng.set("learner", JSON_MAPPER.valueToTree(c.learnerRng()));
    ArrayNode arrays = root.putArray("learnerArrays");
    c.learnerArrays().forEach((name, values) -> arrays.addObject().put("name", name).put("length", values.length));
    root.put("normalizer", c.normalizer() != null);
    root.put("replayBuffer", hasReplayBuffer);
    root.set("versions", JSON_MAPPER.valueToTree(c.versions()));
    return root;
  }

  private static Checkpoint fromJson(Path dir, JsonNode json) throws IOException {
    JsonNode action = json.required("actionSpace");
    BoxSpace actionSpace = new BoxSpace(
        JSON_MAPPER.treeToValue(action.required("shape"), int[].class),
        DType.valueOf(action.required("dtype").asText().toUpperCase(Locale.ROOT)),
        JSON_MAPPER.treeToValue(action.required("low"), double[].class),
        JSON_MAPPER.treeToValue(action.required("high"), double[].class));
    Map<String, Object> configMap =
        JSON_MAPPER.convertValue(json.required("config"), new TypeReference<LinkedHashMap<String, Object>>() {});
    JsonNode counters = json.required("counters");
    LinkedHashMap<String, float[]> arrays = readLearner(dir.resolve(LEARNER), json.required("learnerArrays"));
    int observationDim = json.required("observationDim").asInt();
    Checkpoint.NormalizerState normalizer =
        json.path("normalizer").asBoolean() ? readNormalizer(dir.resolve(NORMALIZER), observationDim) : null;
    return new Checkpoint(
        json.required("envId").asText(),
        observationDim,
        json.path("observationSpace").asText(),
        actionSpace,
        RunConfig.fromMap(configMap),
        counters.required("numTimesteps").asLong(),
        counters.required("episodes").asLong(),
        JSON_MAPPER.treeToValue(json.required("rng").required("run"), SplitMix64Random.State.class),
        JSON_MAPPER.treeToValue(json.required("rng").required("learner"), SplitMix64Random.State.class),
        counters.required("learnerUpdates").asLong(),
        arrays,
        normalizer,
        json.path("replayBuffer").asBoolean(),
        JSON_MAPPER.convertValue(json.path("versions"), new TypeReference<LinkedHashMap<String, String>>() {}));
  }

  private static void writeLearner(Path file, Checkpoint c) throws IOException {
    try (DataOutputStream out = dataOut(file)) {
      for (float[] values : c.learnerArrays().values()) {
        for (float v : values) {
          out.writeFloat(v);
        }
      }
    }
  }

  private static LinkedHashMap<String, float[]> readLearner(Path file, JsonNode index) throws IOException {
    LinkedHashMap<String, float[]> arrays = new LinkedHashMap<>();
    long expectedBytes = 0;
    for (JsonNode entry : index) {
      expectedBytes += 4L * entry.required("length").asInt();
    }
    if (Files.size(file) != expectedBytes) {
      throw new CheckpointException(
          "learner arrays " + file + " have " + Files.size(file) + " bytes, checkpoint.json lists " + expectedBytes);
    }
    try (DataInputStream in = dataIn(file)) {
      for (JsonNode entry : index) {
        float[] values = new float[entry.required("length").asInt()];
        for (int i = 0; i < values.length; i++) {
          values[i] = in.readFloat();
        }
        arrays.put(entry.required("name").asText(), values);
      }
    }
    return arrays;
  }

  private static void writeNormalizer(Path file, Checkpoint.NormalizerState state) throws IOException {
    try (DataOutputStream out = dataOut(file)) {
      out.writeInt(state.mean().length);
      for (double v : state.mean()) {
        out.writeDouble(v);
      }
      for (double v : state.var()) {
        out.writeDouble(v);
      }
      out.writeDouble(state.count());
    }
  }

  private static Checkpoint.NormalizerState readNormalizer(Path file, int observationDim) throws IOException {
    try (DataInputStream in = dataIn(file)) {
      int dim = in.readInt();
      if (dim != observationDim) {
        throw new CheckpointException(
            "normaliser " + file + " has dim " + dim + ", checkpoint observationDim is " + observationDim);
      }
      double[] mean = new double[dim];
      double[] var = new double[dim];
      for (int i = 0; i < dim; i++) {
        mean[i] = in.readDouble();
      }
      for (int i = 0; i < dim; i++) {
        var[i] = in.readDouble();
      }
      return new Checkpoint.NormalizerState(mean, var, in.readDouble());
    }
  }

  private static DataOutputStream dataOut(Path file) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  private static DataInputStream dataIn(Path file) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
