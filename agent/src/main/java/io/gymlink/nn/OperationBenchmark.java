package io.gymlink.nn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Each operation of an update timed two ways in one run, alternating: through ND4J's API (what a user of ND4J
 * writes) and through the path {@link Network} takes (BLAS on ND4J's buffers, {@link OffHeapKernels}, the heap
 * snapshot). The table behind the README's "Where ND4J is used"; run by {@code bin/bench-update --ops}. Not used by
 * training.
 *
 * <p>Times are thread CPU microseconds, the least over rounds of the mean of a few calls, so that a busy machine
 * (time spent descheduled) distorts them as little as possible.
 */
public final class OperationBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int batch;
  private final int in;
  private final int out;
  private final int rounds;
  private final Random random = new Random(0);
  private final List<String> rows = new ArrayList<>();

  private OperationBenchmark(int batch, int in, int out, int rounds) {
    this.batch = batch;
    this.in = in;
    this.out = out;
    this.rounds = rounds;
  }

  /**
   * Markdown rows "| operation | ND4J call | µs | our path | µs | ND4J / ours |" for a hidden layer
   * {@code in -> out} at {@code batch} rows, and for Adam, Polyak and single-row inference of an actor
   * {@code [3, in, out, 1]}.
   */
  public static List<String> compare(int batch, int in, int out, int rounds) {
    OperationBenchmark b = new OperationBenchmark(batch, in, out, rounds);
    b.gemms();
    b.elementWise();
    b.optimiser();
    b.singleRow();
    return b.rows;
  }

  /**
   * Thread CPU microseconds of the three big multiplies of a hidden layer {@code in -> out} at {@code batch} rows
   * (forward, weight gradient, input gradient), each alone through BLAS: an update's floor is ten of them.
   */
  public static double hiddenLayerMultiplyMicros(int batch, int in, int out, int rounds) {
    OffHeapArena arena = new OffHeapArena(1);
    Matrix x = Matrix.in(arena, 0, 0, batch, in + 1, in + 1);
    long offset = (long) batch * (in + 1);
    Matrix w = Matrix.in(arena, 0, offset, in + 1, out, out);
    offset += (long) (in + 1) * out;
    Matrix z = Matrix.in(arena, 0, offset, batch, out, out + 1);
    offset += (long) batch * (out + 1);
    Matrix dw = Matrix.in(arena, 0, offset, in + 1, out, out);
    offset += (long) (in + 1) * out;
    Matrix dx = Matrix.in(arena, 0, offset, batch, in, in + 1);
    arena.zero(0, 0, offset + (long) batch * (in + 1));
    Runnable[] multiplies = {
        () -> Blas.gemm(false, false, 1f, x, w, 0f, z),
        () -> Blas.gemm(true, false, 1f, x, z, 0f, dw),
        () -> Blas.gemm(false, true, 1f, z, w.rows(0, in), 0f, dx)};
    double total = 0;
    for (Runnable multiply : multiplies) {
      warmUp(multiply);
      double best = Double.MAX_VALUE;
      for (int r = 0; r < rounds + 2; r++) {
        long start = THREADS.getCurrentThreadCpuTime();
        for (int c = 0; c < 5; c++) {
          multiply.run();
        }
        double micros = (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / 5;
        best = r >= 2 ? Math.min(best, micros) : best;
      }
      total += best;
    }
    return total / multiplies.length;
  }

  private void gemms() {
    INDArray x = rand(batch, in);
    INDArray w = rand(in, out);
    INDArray z = Nd4j.create(DataType.FLOAT, batch, out);
    INDArray dz = rand(batch, out);
    INDArray dw = Nd4j.create(DataType.FLOAT, in, out);
    INDArray dx = Nd4j.create(DataType.FLOAT, batch, in);
    OffHeapArena arena = new OffHeapArena(1);
    Matrix mx = Matrix.in(arena, 0, 0, batch, in + 1, in + 1);
    long offset = (long) batch * (in + 1);
    Matrix mw = Matrix.in(arena, 0, offset, in + 1, out, out);
    offset += (long) (in + 1) * out;
    Matrix mz = Matrix.in(arena, 0, offset, batch, out, out + 1);
    offset += (long) batch * (out + 1);
    Matrix mdw = Matrix.in(arena, 0, offset, in + 1, out, out);
    offset += (long) (in + 1) * out;
    Matrix mdx = Matrix.in(arena, 0, offset, batch, in, in + 1);
    arena.zero(0, 0, offset + (long) batch * (in + 1));
    String shape = batch + "x" + out + "x" + in;
    row("forward x W, " + shape, "Nd4j.gemm(x, W, z)", () -> Nd4j.gemm(x, w, z, false, false, 1, 0),
        "cblas_sgemm on the buffers, bias row folded in (k + 1)", () -> Blas.gemm(false, false, 1f, mx, mw, 0f, mz));
    row("forward x W, " + shape, "x.mmul(W) (allocates z)", () -> x.mmul(w), "(same)",
        () -> Blas.gemm(false, false, 1f, mx, mw, 0f, mz));
    row("weight gradient x^T dZ", "Nd4j.gemm(x, dZ, dW, transA)", () -> Nd4j.gemm(x, dz, dw, true, false, 1, 0),
        "cblas_sgemm, bias gradient in the same call", () -> Blas.gemm(true, false, 1f, mx, mz, 0f, mdw));
    row("input gradient dZ W^T", "Nd4j.gemm(dZ, W, dX, transB)", () -> Nd4j.gemm(dz, w, dx, false, true, 1, 0),
        "cblas_sgemm", () -> Blas.gemm(false, true, 1f, mz, mw.rows(0, in), 0f, mdx));
    INDArray a8 = rand(8, 8);
    INDArray b8 = rand(8, 8);
    INDArray c8 = Nd4j.create(DataType.FLOAT, 8, 8);
    Matrix ma8 = Matrix.in(arena, 0, 0, 8, 8, 8);
    Matrix mb8 = Matrix.in(arena, 0, 64, 8, 8, 8);
    Matrix mc8 = Matrix.in(arena, 0, 128, 8, 8, 8);
    row("per-call overhead: 8x8x8 multiply", "Nd4j.gemm", () -> Nd4j.gemm(a8, b8, c8, false, false, 1, 0),
        "cblas_sgemm", () -> Blas.gemm(false, false, 1f, ma8, mb8, 0f, mc8));
    OpExecutioner.ProfilingMode mode = Nd4j.getExecutioner().getProfilingMode();
    Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
    row("per-call overhead, ND4J profiling DISABLED (default " + mode + ")", "Nd4j.gemm",
        () -> Nd4j.gemm(a8, b8, c8, false, false, 1, 0), "cblas_sgemm",
        () -> Blas.gemm(false, false, 1f, ma8, mb8, 0f, mc8));
    Nd4j.getExecutioner().setProfilingMode(mode);
  }

  private void elementWise() {
    INDArray z = rand(batch, out).subi(0.5f);
    INDArray bias = rand(1, out);
    INDArray delta = rand(batch, out);
    OffHeapArena arena = new OffHeapArena(2);
    long n = (long) batch * (out + 1);
    arena.zero(0, 0, n);
    arena.zero(1, 0, n);
    long address = arena.address(0, 0);
    row("bias + relu, " + batch + "x" + out, "z.addiRowVector(b); Transforms.relu(z, false)",
        () -> Transforms.relu(z.addiRowVector(bias), false), "bias in the multiply; relu loop in place",
        () -> OffHeapKernels.activate(Activation.RELU, address, batch, out, out + 1));
    row("tanh, " + batch + "x" + out, "Transforms.tanh(z, false)", () -> Transforms.tanh(z, false),
        "tanh loop in place", () -> OffHeapKernels.activate(Activation.TANH, address, batch, out, out + 1));
    row("relu derivative x delta", "RectifiedLinearDerivative(y, delta, delta)",
        () -> Nd4j.exec(new RectifiedLinearDerivative(z, delta, delta)), "one vectorised loop",
        () -> OffHeapKernels.backpropActivation(Activation.RELU, address, n));
  }

  private void optimiser() {
    Network net = Network.mlp(3, List.of(in, out), 1, Activation.RELU, Activation.TANH);
    net.newTarget();
    Adam adam = new Adam(net, 1e-3);
    int p = net.parameterCount();
    INDArray params = rand(1, p);
    INDArray grad = rand(1, p).muli(1e-3f);
    INDArray update = Nd4j.create(DataType.FLOAT, 1, p);
    INDArray m = Nd4j.zeros(DataType.FLOAT, 1, p);
    INDArray v = Nd4j.zeros(DataType.FLOAT, 1, p);
    INDArray target = rand(1, p);
    int[] iteration = {0};
    row("Adam, " + p + " parameters", "AdamUpdater op + params.subi(update)", () -> {
      update.assign(grad);
      Nd4j.exec(new AdamUpdater(update, v, m, 1e-3, 0.9, 0.999, 1e-8, iteration[0]++ % 10_000));
      params.subi(update);
    }, "one fused loop over the buffers", adam::step);
    row("Polyak, " + p + " parameters", "target.muli(1 - tau).addi(source.mul(tau))",
        () -> target.muli(0.995f).addi(params.mul(0.005f)), "one loop",
        () -> net.target().polyakUpdate(net, 0.005));
    row("Adam + Polyak, " + p + " parameters", "the two rows above", () -> {
      update.assign(grad);
      Nd4j.exec(new AdamUpdater(update, v, m, 1e-3, 0.9, 0.999, 1e-8, iteration[0]++ % 10_000));
      params.subi(update);
      target.muli(0.995f).addi(params.mul(0.005f));
    }, "one fused loop (Adam.stepAndUpdateTarget)", () -> adam.stepAndUpdateTarget(0.005));
  }

  private void singleRow() {
    Network net = Network.mlp(3, List.of(in, out), 1, Activation.RELU, Activation.TANH);
    net.initialize(random);
    NetworkSnapshot snapshot = NetworkSnapshot.of(net);
    INDArray[] w = {net.weights(0), net.weights(1), net.weights(2)};
    INDArray[] b = {net.bias(0), net.bias(1), net.bias(2)};
    INDArray x = rand(1, 3);
    float[] row = x.toFloatVector();
    float[] action = new float[1];
    row("one observation through [3, " + in + ", " + out + ", 1]", "3 x (mmul, addiRowVector, relu/tanh)", () -> {
      INDArray h = Transforms.relu(x.mmul(w[0]).addiRowVector(b[0]), false);
      h = Transforms.relu(h.mmul(w[1]).addiRowVector(b[1]), false);
      Transforms.tanh(h.mmul(w[2]).addiRowVector(b[2]), false);
    }, "NetworkSnapshot.forward (plain Java, heap copy)", () -> snapshot.forward(row, action));
  }

  private INDArray rand(int rows, int cols) {
    INDArray a = Nd4j.create(DataType.FLOAT, rows, cols);
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble();
    }
    a.assign(Nd4j.createFromArray(values).reshape(rows, cols));
    return a;
  }

  /** Runs {@code run} for ~0.3 s (at least 50 calls), so that the JIT has compiled both paths before timing. */
  private static void warmUp(Runnable run) {
    long end = System.nanoTime() + 300_000_000L;
    for (int calls = 0; calls < 50 || System.nanoTime() < end; calls++) {
      run.run();
    }
  }

  private void row(String operation, String nd4jCall, Runnable nd4j, String ours, Runnable oursRun) {
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
    Runnable[] pair = {nd4j, oursRun};
    warmUp(nd4j);
    warmUp(oursRun);
    for (int r = 0; r < rounds + 2; r++) {
      for (int k = 0; k < 2; k++) {
        int calls = 5;
        long start = THREADS.getCurrentThreadCpuTime();
        for (int c = 0; c < calls; c++) {
          pair[k].run();
        }
        double micros = (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / calls;
        if (r >= 2) {
          best[k] = Math.min(best[k], micros);
        }
      }
    }
    rows.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %.1f | %.1fx |", operation, nd4jCall, best[0], ours,
        best[1], best[0] / best[1]));
  }
}
