package io.gymlink.export;

import io.gymlink.nn.Activation;
import io.gymlink.nn.Network;
import io.gymlink.td3.ActionScaler;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.DeterministicPolicy;
import io.gymlink.train.ObservationNormalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import onnx.Onnx.ModelProto;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a trained deterministic policy as an ONNX model, so that it runs without the JVM (ONNX Runtime on a robot,
 * in a game, in a Python evaluation script): raw observation in, action in the environment's bounds out, with the
 * observation normalisation and the action rescaling inside the graph.
 *
 * <p>The graph, for an input {@value #INPUT} of shape [batch, observationDim] (float32):
 * <ol>
 *   <li>if observations are normalised: (x - mean) * 1/sqrt(var + epsilon), clipped to [-clip, clip] (SB3's
 *       {@code VecNormalize}; statistics frozen at export);
 *   <li>per actor layer {@code Gemm(h, W, b)} then {@code Relu} or {@code Tanh} (the last layer: {@code Tanh});
 *   <li>a = center + u * halfRange, then {@code Max(a, low)} and {@code Min(a, high)} per action dimension.
 * </ol>
 * Output {@value #OUTPUT}: [batch, actionDim], float32. The ONNX schema classes are the ones ND4J ships in
 * {@code nd4j-api} ({@code onnx.Onnx}); opset {@value #OPSET}, IR version {@value #IR_VERSION}. The export is checked
 * against ONNX Runtime in {@code OnnxPolicyExporterTest} (actions equal to 1e-5).
 */
public final class OnnxPolicyExporter {
  /** The graph's input: raw observations, [batch, observationDim]. */
  public static final String INPUT = "observation";
  /** The graph's output: actions in the action space's bounds, [batch, actionDim]. */
  public static final String OUTPUT = "action";
  static final int OPSET = 13;
  static final int IR_VERSION = 8;

  private OnnxPolicyExporter() {}

  /**
   * The ONNX model of {@code policy}; {@code metadata} (e.g. the env id and the training step) goes into the
   * model's {@code metadata_props}.
   */
  public static ModelProto export(DeterministicPolicy policy, Map<String, String> metadata) {
    Network actor = policy.learner().actor();
    OnnxGraph graph = new OnnxGraph("gymlink_policy");
    int observationDim = actor.inputSize();
    int actionDim = actor.outputSize();
    graph.input(INPUT, observationDim);
    String h = INPUT;
    if (policy.normalizer().isPresent()) {
      h = normalize(graph, h, policy.normalizer().get(), observationDim);
    }
    int[] sizes = actor.sizes();
    for (int l = 0; l + 1 < sizes.length; l++) {
      String name = "actor." + l;
      graph.initializer(name + ".weight", rowMajor(actor.weights(l)), sizes[l], sizes[l + 1]);
      graph.initializer(name + ".bias", rowMajor(actor.bias(l)), sizes[l + 1]);
      h = graph.node("Gemm", name + ".gemm", h, name + ".weight", name + ".bias");
      Activation f = l + 2 == sizes.length ? actor.outputActivation() : actor.hiddenActivation();
      h = activation(graph, f, name, h);
    }
    rescale(graph, h, policy.learner().scaler(), actionDim);
    graph.output(OUTPUT, actionDim);
    Map<String, String> props = new LinkedHashMap<>(metadata);
    props.put("gymlink.input", INPUT + " [batch, " + observationDim + "], raw observations");
    props.put("gymlink.output", OUTPUT + " [batch, " + actionDim + "], in the action space's bounds");
    props.put("gymlink.actor", actor.describeLayout());
    return graph.model(IR_VERSION, OPSET, props);
  }

  /**
   * Writes the ONNX model of {@code checkpoint}'s deterministic policy to {@code file} (parent directories are
   * created) and returns it; the env id, algorithm and training step go into its metadata.
   */
  public static ModelProto write(Checkpoint checkpoint, Path file) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("gymlink.env_id", checkpoint.envId());
    metadata.put("gymlink.algorithm", checkpoint.config().td3().algorithmName());
    metadata.put("gymlink.num_timesteps", Long.toString(checkpoint.numTimesteps()));
    ModelProto model = export(DeterministicPolicy.fromCheckpoint(checkpoint), metadata);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      model.writeTo(out);
    }
    return model;
  }

  private static String normalize(OnnxGraph graph, String x, ObservationNormalizer normalizer, int dim) {
    double[] mean = normalizer.stats().mean();
    double[] var = normalizer.stats().var();
    float[] meanFloat = new float[dim];
    float[] inverseStd = new float[dim];
    for (int i = 0; i < dim; i++) {
      meanFloat[i] = (float) mean[i];
      inverseStd[i] = (float) (1 / Math.sqrt(var[i] + normalizer.epsilon()));
    }
    graph.initializer("obs_norm.mean", meanFloat, dim);
    graph.initializer("obs_norm.inverse_std", inverseStd, dim);
    graph.initializer("obs_norm.min", new float[] {(float) -normalizer.clip()});
    graph.initializer("obs_norm.max", new float[] {(float) normalizer.clip()});
    String centred = graph.node("Sub", "obs_norm.sub", x, "obs_norm.mean");
    String scaled = graph.node("Mul", "obs_norm.mul", centred, "obs_norm.inverse_std");
    return graph.node("Clip", "obs_norm.clip", scaled, "obs_norm.min", "obs_norm.max");
  }

  private static String activation(OnnxGraph graph, Activation f, String layer, String h) {
    return switch (f) {
      case IDENTITY -> h;
      case RELU -> graph.node("Relu", layer + ".relu", h);
      case TANH -> graph.node("Tanh", layer + ".tanh", h);
    };
  }

  private static void rescale(OnnxGraph graph, String unit, ActionScaler scaler, int dim) {
    double[] low = scaler.low();
    double[] high = scaler.high();
    float[] center = new float[dim];
    float[] halfRange = new float[dim];
    float[] lowFloat = new float[dim];
    float[] highFloat = new float[dim];
    for (int i = 0; i < dim; i++) {
      center[i] = (float) ((low[i] + high[i]) / 2);
      halfRange[i] = (float) ((high[i] - low[i]) / 2);
      lowFloat[i] = (float) low[i];
      highFloat[i] = (float) high[i];
    }
    graph.initializer("action.half_range", halfRange, dim);
    graph.initializer("action.center", center, dim);
    graph.initializer("action.low", lowFloat, dim);
    graph.initializer("action.high", highFloat, dim);
    String scaled = graph.node("Mul", "action.scale", unit, "action.half_range");
    String shifted = graph.node("Add", "action.shift", scaled, "action.center");
    String above = graph.node("Max", "action.clip_low", shifted, "action.low");
    graph.nodeTo("Min", "action.clip_high", OUTPUT, above, "action.high");
  }

  /** The values of an ND4J view (a layer's weights or bias inside the network's buffer), row-major. */
  private static float[] rowMajor(INDArray view) {
    return view.dup('c').data().asFloat();
  }
}
