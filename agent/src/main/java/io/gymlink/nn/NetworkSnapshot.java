package io.gymlink.nn;

import java.util.Arrays;

/**
 * A copy of a {@link Network}'s parameters on the Java heap that evaluates one input row at a time in plain Java:
 * the acting path (one observation per environment step) and the network another thread runs while the original
 * trains. For one row this is ~20 µs at [400, 300], where a BLAS matrix-vector call per layer plus ND4J's per-op
 * overhead costs more; the batched {@link Network#forward} is the training path.
 *
 * <p>A snapshot is an explicit copy, brought up to date by {@link #refreshFrom} (a no-op while the network has not
 * changed). Results depend only on the parameters and the row, not on how many rows are evaluated. Not thread-safe:
 * one thread owns a snapshot; refresh it while the network is not being updated.
 */
public final class NetworkSnapshot {
  private final int[] sizes;
  private final Activation hidden;
  private final Activation output;
  private final float[] parameters;
  private final float[][] scratch;
  private Network source;
  private long sourceVersion = -1;

  private NetworkSnapshot(Network network) {
    this.sizes = network.sizes();
    this.hidden = network.hiddenActivation();
    this.output = network.outputActivation();
    this.parameters = new float[network.parameterCount()];
    this.scratch = new float[sizes.length - 1][];
    for (int l = 0; l + 1 < sizes.length; l++) {
      scratch[l] = new float[sizes[l + 1]];
    }
  }

  /** A snapshot of {@code network}'s current parameters. */
  public static NetworkSnapshot of(Network network) {
    NetworkSnapshot snapshot = new NetworkSnapshot(network);
    snapshot.refreshFrom(network);
    return snapshot;
  }

  /** Copies {@code network}'s parameters (same layer sizes and activations) unless this snapshot holds them. */
  public void refreshFrom(Network network) {
    if (network == source && network.version() == sourceVersion) {
      return;
    }
    if (!Arrays.equals(network.sizes(), sizes) || network.hiddenActivation() != hidden
        || network.outputActivation() != output) {
      throw new IllegalArgumentException("snapshot of " + Arrays.toString(sizes) + " cannot copy a network of "
          + Arrays.toString(network.sizes()));
    }
    network.parameterArena().read(network.parameterRegion(), 0, parameters, 0, parameters.length);
    source = network;
    sourceVersion = network.version();
  }

  /** The output of one input row {@code x} ([inputSize]) into {@code out} ([outputSize]). */
  public void forward(float[] x, float[] out) {
    if (x.length != sizes[0] || out.length != sizes[sizes.length - 1]) {
      throw new IllegalArgumentException("forward needs " + sizes[0] + " input and " + sizes[sizes.length - 1]
          + " output floats, got " + x.length + " and " + out.length);
    }
    float[] in = x;
    int offset = 0;
    int last = sizes.length - 2;
    for (int l = 0; l <= last; l++) {
      int n = sizes[l + 1];
      int biasOffset = offset + sizes[l] * n;
      float[] y = l == last ? out : scratch[l];
      System.arraycopy(parameters, biasOffset, y, 0, n);
      for (int i = 0; i < sizes[l]; i++) {
        float xi = in[i];
        int row = offset + i * n;
        for (int j = 0; j < n; j++) {
          y[j] += xi * parameters[row + j];
        }
      }
      Activation f = l == last ? output : hidden;
      for (int j = 0; j < n; j++) {
        y[j] = f.apply(y[j]);
      }
      offset = biasOffset + n;
      in = y;
    }
  }

  public int inputSize() {
    return sizes[0];
  }

  public int outputSize() {
    return sizes[sizes.length - 1];
  }
}
