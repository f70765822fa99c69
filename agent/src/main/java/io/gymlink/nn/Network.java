package io.gymlink.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A fully connected network (an MLP) whose parameters, gradients and activations are ND4J arrays: the batched
 * forward pass, the backward pass for parameter gradients, the gradient with respect to (some of) the input, and
 * Polyak averaging into a target copy. {@link Adam} steps its parameters. Not thread-safe; {@link NetworkSnapshot}
 * is the copy other threads run.
 *
 * <p>Memory: one flat parameter buffer per network (layer after layer, each [W; b] as an (in + 1) x out row-major
 * matrix, see {@link DenseLayer}), with its gradients, Adam moments and its target's parameters in further regions
 * of the same {@link OffHeapArena}, and one arena per batch size for activations and their deltas. Every number has
 * one copy; matrix multiplies read and write it through BLAS, element-wise work through {@link OffHeapKernels}.
 * The per-batch memory is a {@link BatchBuffers}, made again when the number of rows changes.
 */
public final class Network {
  static final int PARAMETERS = 0;
  static final int GRADIENTS = 1;
  static final int ADAM_FIRST_MOMENT = 2;
  static final int ADAM_SECOND_MOMENT = 3;
  static final int TARGET_PARAMETERS = 4;
  private static final int ARENA_REGIONS = 5;

  private final int[] sizes;
  private final Activation hidden;
  private final Activation output;
  private final OffHeapArena parameterArena;
  private final int parameterRegion;
  private final long parameterCount;
  private final DenseLayer[] layers;
  private final Network source;
  private Network target;
  private boolean hasOptimizer;
  private long version;

  private BatchBuffers batch;
  private boolean forwardDone;

  private Network(int[] sizes, Activation hidden, Activation output, OffHeapArena arena, int region, Network source) {
    this.sizes = sizes.clone();
    this.hidden = hidden;
    this.output = output;
    this.parameterArena = arena;
    this.parameterRegion = region;
    this.source = source;
    long count = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      count += DenseLayer.parameterCount(sizes[l], sizes[l + 1]);
    }
    OffHeapArena.checkFits("a network " + Arrays.toString(sizes), count);
    this.parameterCount = count;
    this.layers = new DenseLayer[sizes.length - 1];
    long offset = 0;
    for (int l = 0; l < layers.length; l++) {
      layers[l] = new DenseLayer(sizes[l], sizes[l + 1], l == layers.length - 1 ? output : hidden, arena, region,
          source == null ? GRADIENTS : -1, offset);
      offset += DenseLayer.parameterCount(sizes[l], sizes[l + 1]);
    }
  }

  /**
   * A network {@code inputSize -> netArch... -> outputSize} with {@code hidden} after every hidden layer and
   * {@code output} after the last; parameters are zero until {@link #initialize}.
   */
  public static Network mlp(int inputSize, List<Integer> netArch, int outputSize, Activation hidden,
      Activation output) {
    int[] sizes = new int[netArch.size() + 2];
    sizes[0] = inputSize;
    for (int i = 0; i < netArch.size(); i++) {
      sizes[i + 1] = netArch.get(i);
    }
    sizes[sizes.length - 1] = outputSize;
    if (Arrays.stream(sizes).anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
    }
    OffHeapArena arena = new OffHeapArena(ARENA_REGIONS);
    Network network = new Network(sizes, hidden, output, arena, PARAMETERS, null);
    arena.zero(PARAMETERS, 0, network.parameterCount);
    arena.zero(GRADIENTS, 0, network.parameterCount);
    Blas.logRuntimeOnce();
    return network;
  }

  /** PyTorch's {@code nn.Linear} default: weights and biases uniform in +-1/sqrt(fan_in), drawn layer by layer. */
  public void initialize(Random random) {
    float[] values = new float[Math.toIntExact(parameterCount)];
    int i = 0;
    for (int l = 0; l < layers.length; l++) {
      double bound = 1.0 / Math.sqrt(sizes[l]);
      long count = DenseLayer.parameterCount(sizes[l], sizes[l + 1]);
      for (long k = 0; k < count; k++) {
        values[i++] = (float) ((2 * random.nextDouble() - 1) * bound);
      }
    }
    setParameters(values);
  }

  /**
   * The target network of this one (SB3's {@code actor_target}, {@code critic_target}): a copy of the current
   * parameters that follows by {@link #polyakUpdate} or {@link Adam#stepAndUpdateTarget}. It is only evaluated
   * (no backward pass). A network has at most one target; its parameters live beside this network's.
   */
  public Network newTarget() {
    if (source != null) {
      throw new IllegalStateException("a target network has no target of its own");
    }
    if (target != null) {
      throw new IllegalStateException("this network already has a target");
    }
    target = new Network(sizes, hidden, output, parameterArena, TARGET_PARAMETERS, this);
    OffHeapKernels.copy(parameterArena.address(PARAMETERS, 0), parameterArena.address(TARGET_PARAMETERS, 0),
        parameterCount);
    return target;
  }

  /** target = (1 - tau) * target + tau * source for every parameter of this target and its {@code source}. */
  public void polyakUpdate(Network source, double tau) {
    checkSource(source);
    OffHeapKernels.polyak(parameterArena.address(PARAMETERS, 0), parameterCount, (float) (1 - tau), (float) tau);
    version++;
  }

  void checkSource(Network network) {
    if (source == null || source != network) {
      throw new IllegalArgumentException("Polyak averaging needs a target made by source.newTarget()");
    }
  }

  /**
   * Forward pass of {@code rows} inputs (row-major [rows, inputSize]); returns the outputs [rows, outputSize] in a
   * heap array owned by this network and valid until the next forward pass. Keeps what a backward pass needs.
   */
  public float[] forward(float[] input, int rows) {
    if (input.length < rows * sizes[0]) {
      throw new IllegalArgumentException("forward of " + rows + " rows needs " + rows * sizes[0]
          + " input floats, got " + input.length);
    }
    if (batch == null || batch.rows() != rows) {
      batch = new BatchBuffers(sizes, layers, rows, source == null);
    }
    Matrix in = batch.input();
    OffHeapKernels.copyRowsIn(input, 0, sizes[0], in.address(), rows, sizes[0], in.ld());
    for (DenseLayer layer : layers) {
      layer.forward();
    }
    Matrix out = layers[layers.length - 1].output();
    OffHeapKernels.copyRowsOut(out.address(), rows, out.cols(), out.ld(), batch.outputs(), 0);
    forwardDone = true;
    return batch.outputs();
  }

  /**
   * Backward pass of the last {@link #forward} from {@code outputGradient} = dLoss/dOutput ([rows, outputSize]):
   * fills the gradients that {@link Adam#step} applies.
   */
  public void backward(float[] outputGradient) {
    if (source != null) {
      throw new IllegalStateException("a target network is only evaluated, it has no gradients");
    }
    backpropagate(outputGradient, true);
    layers[0].parameterGradients();
  }

  /**
   * dLoss/dInput of the last {@link #forward} for the input {@code columns}, into {@code into} ([rows,
   * columns.count()]), from {@code outputGradient} = dLoss/dOutput; parameter gradients are left as they were
   * (e.g. the action gradient of a critic whose parameters stay fixed in an actor step).
   */
  public void inputGradient(float[] outputGradient, Columns columns, float[] into) {
    if (source != null) {
      throw new IllegalStateException("a target network is only evaluated, it has no gradients");
    }
    if (columns.from() + columns.count() > sizes[0]) {
      throw new IllegalArgumentException("input columns " + columns + " are outside an input of width " + sizes[0]);
    }
    backpropagate(outputGradient, false);
    int rows = batch.rows();
    if (into.length < rows * columns.count()) {
      throw new IllegalArgumentException("input gradient of " + rows + " rows x " + columns.count()
          + " columns does not fit into " + into.length + " floats");
    }
    Matrix gradient = batch.inputGradient(columns.count());
    layers[0].inputGradient(columns.from(), columns.count(), gradient);
    OffHeapKernels.copyRowsOut(gradient.address(), rows, columns.count(), columns.count(), into, 0);
  }

  /** From dLoss/dOutput to the first layer's dZ, with parameter gradients for all layers but the first if asked. */
  private void backpropagate(float[] outputGradient, boolean parameterGradients) {
    if (!forwardDone) {
      throw new IllegalStateException("backward pass without a forward pass");
    }
    int n = batch.rows() * outputSize();
    if (outputGradient.length < n) {
      throw new IllegalArgumentException("output gradient needs " + n + " floats, got " + outputGradient.length);
    }
    float[] outputs = batch.outputs();
    float[] deltas = batch.outputDeltas();
    for (int i = 0; i < n; i++) {
      deltas[i] = outputGradient[i] * output.derivativeFromOutput(outputs[i]);
    }
    Matrix lastDeltas = layers[layers.length - 1].deltas();
    OffHeapKernels.copyRowsIn(deltas, 0, outputSize(), lastDeltas.address(), batch.rows(), outputSize(),
        lastDeltas.ld());
    for (int l = layers.length - 1; l > 0; l--) {
      if (parameterGradients) {
        layers[l].parameterGradients();
      }
      layers[l].backpropagateInto(layers[l - 1]);
    }
  }

  /** A copy of all parameters, in the flat layout (per layer W [in, out] row-major, then b [out]). */
  public float[] parametersToArray() {
    float[] copy = new float[Math.toIntExact(parameterCount)];
    parameterArena.read(parameterRegion, 0, copy, 0, copy.length);
    return copy;
  }

  /** Overwrites all parameters from the flat layout of {@link #parametersToArray}. */
  public void setParameters(float[] values) {
    checkLength("parameters", values);
    parameterArena.write(parameterRegion, 0, values, 0, values.length);
    version++;
  }

  void checkLength(String what, float[] values) {
    if (values.length != parameterCount) {
      throw new IllegalArgumentException(what + " have " + values.length + " floats, expected " + describeLayout());
    }
  }

  /** All parameters as one ND4J row vector, a view of the network's memory. */
  public INDArray parameters() {
    return parameterArena.vector(parameterRegion, 0, parameterCount);
  }

  /** All gradients of the last {@link #backward}, same layout as {@link #parameters()}, a view. */
  public INDArray gradients() {
    if (source != null) {
      throw new IllegalStateException("a target network has no gradients");
    }
    return parameterArena.vector(GRADIENTS, 0, parameterCount);
  }

  /** Layer {@code l}'s weights W as an ND4J [in, out] view. */
  public INDArray weights(int l) {
    return parameterArena.view(parameterRegion, offsetOf(l), sizes[l], sizes[l + 1], sizes[l + 1]);
  }

  /** Layer {@code l}'s bias b as an ND4J [1, out] view. */
  public INDArray bias(int l) {
    return parameterArena.view(parameterRegion, offsetOf(l) + (long) sizes[l] * sizes[l + 1], 1, sizes[l + 1],
        sizes[l + 1]);
  }

  private long offsetOf(int l) {
    long offset = 0;
    for (int i = 0; i < l; i++) {
      offset += DenseLayer.parameterCount(sizes[i], sizes[i + 1]);
    }
    return offset;
  }

  /** Human-readable parameter layout, e.g. "[3x256+256, 256x1+1] = 1281 floats", for error messages. */
  public String describeLayout() {
    StringBuilder s = new StringBuilder("[");
    for (int l = 0; l + 1 < sizes.length; l++) {
      s.append(l == 0 ? "" : ", ").append(sizes[l]).append('x').append(sizes[l + 1]).append('+')
          .append(sizes[l + 1]);
    }
    return s.append("] = ").append(parameterCount).append(" floats").toString();
  }

  public int inputSize() {
    return sizes[0];
  }

  public int outputSize() {
    return sizes[sizes.length - 1];
  }

  /** Layer widths, input first, output last. */
  public int[] sizes() {
    return sizes.clone();
  }

  public Activation hiddenActivation() {
    return hidden;
  }

  public Activation outputActivation() {
    return output;
  }

  public int parameterCount() {
    return Math.toIntExact(parameterCount);
  }

  /** Counts parameter changes, so that a {@link NetworkSnapshot} knows when it is stale. */
  long version() {
    return version;
  }

  void parametersChanged() {
    version++;
  }

  /** Claims the optimiser state of this network (one optimiser per network: the moments live beside it). */
  OffHeapArena attachOptimizer() {
    if (source != null) {
      throw new IllegalStateException("a target network is not trained; step its source and Polyak-average");
    }
    if (hasOptimizer) {
      throw new IllegalStateException("this network already has an optimiser");
    }
    hasOptimizer = true;
    parameterArena.zero(ADAM_FIRST_MOMENT, 0, parameterCount);
    parameterArena.zero(ADAM_SECOND_MOMENT, 0, parameterCount);
    return parameterArena;
  }

  Network target() {
    return target;
  }

  OffHeapArena parameterArena() {
    return parameterArena;
  }

  int parameterRegion() {
    return parameterRegion;
  }

  int layerCount() {
    return layers.length;
  }
}
