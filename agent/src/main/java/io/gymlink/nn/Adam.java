package io.gymlink.nn;

import static io.gymlink.nn.Network.ADAM_FIRST_MOMENT;
import static io.gymlink.nn.Network.ADAM_SECOND_MOMENT;
import static io.gymlink.nn.Network.PARAMETERS;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam (Kingma &amp; Ba 2015) for one {@link Network}, with PyTorch's {@code torch.optim.Adam} arithmetic and
 * defaults (betas 0.9/0.999, eps 1e-8, no weight decay): params -= lr / (1 - beta1^t) * m / (sqrt(v) /
 * sqrt(1 - beta2^t) + eps). The moments are ND4J arrays beside the network's parameters; one fused sweep updates
 * moments and parameters, and with {@link #stepAndUpdateTarget} also Polyak-averages the network's target.
 *
 * <p>Why not ND4J's fused {@code AdamUpdater} op: it took ~750 µs for 122k parameters (~400 µs with the AVX-512
 * build of libnd4j), plus a second op to subtract the update, against ~50 µs for this sweep
 * ({@code bin/bench-update --ops}); its epsilon also sits inside the bias correction, unlike PyTorch's.
 */
public final class Adam {
  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPSILON = 1e-8;

  private final Network network;
  private final OffHeapArena arena;
  private final double learningRate;
  private long steps;

  /** An optimiser for {@code network}'s parameters (one per network), with zero moments. */
  public Adam(Network network, double learningRate) {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    this.network = network;
    this.arena = network.attachOptimizer();
    this.learningRate = learningRate;
  }

  /** One step from the gradients of the network's last {@link Network#backward}. */
  public void step() {
    OffHeapKernels.adam(arena.address(PARAMETERS, 0), network.parameterCount(), nextStep());
    network.parametersChanged();
  }

  /**
   * {@link #step()} followed by {@code network.newTarget().polyakUpdate(network, tau)}, in one sweep over memory:
   * the same numbers as the two calls (SB3 updates the critic's target after the actor step; the critic's
   * parameters do not change in between).
   */
  public void stepAndUpdateTarget(double tau) {
    Network target = network.target();
    if (target == null) {
      throw new IllegalStateException("the network has no target (Network.newTarget)");
    }
    OffHeapKernels.adamAndPolyak(arena.address(PARAMETERS, 0), network.parameterCount(), nextStep(),
        (float) (1 - tau), (float) tau);
    network.parametersChanged();
    target.parametersChanged();
  }

  private OffHeapKernels.AdamStep nextStep() {
    steps++;
    double biasCorrection1 = 1 - Math.pow(BETA1, steps);
    double biasCorrection2 = 1 - Math.pow(BETA2, steps);
    return new OffHeapKernels.AdamStep((float) BETA1, (float) (1 - BETA1), (float) BETA2, (float) (1 - BETA2),
        (float) (learningRate / biasCorrection1), (float) (1 / Math.sqrt(biasCorrection2)), (float) EPSILON);
  }

  /** Steps taken (the t of the bias correction). */
  public long steps() {
    return steps;
  }

  /** Sets the step count, when restoring saved moments. */
  public void setSteps(long steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    this.steps = steps;
  }

  /** The first moment m, a view in the network's parameter layout. */
  public INDArray firstMoment() {
    return arena.vector(ADAM_FIRST_MOMENT, 0, network.parameterCount());
  }

  /** The second moment v, a view in the network's parameter layout. */
  public INDArray secondMoment() {
    return arena.vector(ADAM_SECOND_MOMENT, 0, network.parameterCount());
  }

  /** A copy of m. */
  public float[] firstMomentToArray() {
    return copy(ADAM_FIRST_MOMENT);
  }

  /** A copy of v. */
  public float[] secondMomentToArray() {
    return copy(ADAM_SECOND_MOMENT);
  }

  /** Overwrites m (the network's parameter layout), e.g. from a checkpoint. */
  public void setFirstMoment(float[] values) {
    network.checkLength("Adam first moments", values);
    arena.write(ADAM_FIRST_MOMENT, 0, values, 0, values.length);
  }

  /** Overwrites v (the network's parameter layout), e.g. from a checkpoint. */
  public void setSecondMoment(float[] values) {
    network.checkLength("Adam second moments", values);
    arena.write(ADAM_SECOND_MOMENT, 0, values, 0, values.length);
  }

  private float[] copy(int region) {
    float[] values = new float[network.parameterCount()];
    arena.read(region, 0, values, 0, values.length);
    return values;
  }
}
