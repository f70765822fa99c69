package io.gymlink.nn;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-precision matrix multiplies on {@link Matrix} operands, called straight into the OpenBLAS that ND4J ships
 * ({@code org.bytedeco:openblas}) on the memory of ND4J's arrays: no allocation, no copy, no per-call bookkeeping.
 *
 * <p>Why not {@code Nd4j.gemm} (measured in {@code bin/bench-update --ops}): it runs as a custom op (shape
 * calculation, validation, op context) for ~10 µs per call, and for transposed operands it spends another
 * 50-100 µs on a 256x400x300 multiply, against 0.1-0.3 µs of overhead for this call; an update makes about 25 calls.
 * OpenBLAS reads {@code OPENBLAS_CORETYPE} and its thread count when the library loads, so those are chosen before
 * the JVM starts ({@code bin/openblas-env}); {@link #describeRuntime()} reports them.
 */
final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  static {
    Loader.load(openblas_nolapack.class);
  }

  private Blas() {}

  /** Logs {@link #describeRuntime()} once per process. */
  static void logRuntimeOnce() {
    if (LOGGED.compareAndSet(false, true)) {
      LOG.info(describeRuntime());
    }
  }

  /**
   * Which OpenBLAS kernel and how many threads this process runs with, as far as the process can tell: the kernel
   * is the one forced by OPENBLAS_CORETYPE, or else OpenBLAS's own CPU detection (which may pick the slow Prescott
   * kernel on virtual CPUs; run with OPENBLAS_VERBOSE=2 to see its choice).
   */
  static String describeRuntime() {
    String coreType = System.getenv("OPENBLAS_CORETYPE");
    String kernel = coreType == null || coreType.isBlank()
        ? "OPENBLAS_CORETYPE unset (OpenBLAS 0.3.19 auto-detects, often a slow SSE-era kernel such as Prescott or"
            + " Barcelona on virtual CPUs; bin/openblas-env sets it from the CPU flags)"
        : "OPENBLAS_CORETYPE=" + coreType;
    return "BLAS: " + openblas_nolapack.OPENBLAS_VERSION.trim() + " (org.bytedeco, as shipped with ND4J), " + kernel
        + ", " + threads() + " thread(s) (OPENBLAS_NUM_THREADS=" + envOrUnset("OPENBLAS_NUM_THREADS")
        + ", OMP_NUM_THREADS=" + envOrUnset("OMP_NUM_THREADS") + "), CPU " + cpuSummary();
  }

  /** The thread count OpenBLAS (pthreads build) takes: the first of these variables that is set, else all CPUs. */
  private static String threads() {
    for (String name : new String[] {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return Integer.toString(Runtime.getRuntime().availableProcessors());
  }

  private static String envOrUnset(String name) {
    String value = System.getenv(name);
    return value == null ? "unset" : value;
  }

  /** The CPU model, its widest vector extension and the CPU count, from /proc/cpuinfo. */
  static String cpuSummary() {
    try {
      String model = "?";
      String flags = "";
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (model.equals("?") && line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
        } else if (flags.isEmpty() && line.startsWith("flags")) {
          flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
        }
      }
      String isa = flags.contains(" avx512f ") ? "avx512f" : flags.contains(" avx2 ") ? "avx2" : "no avx2";
      return "'" + model + "' (" + isa + ", " + Runtime.getRuntime().availableProcessors() + " cpus)";
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * C = alpha * op(A) * op(B) + beta * C, all row-major, where op(X) is X or its transpose; op(A) is m x k, op(B)
   * is k x n and C is m x n. A matrix-vector product (n = 1) goes to sgemv: OpenBLAS 0.3.19's sgemm would still
   * pack the matrix.
   */
  static void gemm(boolean transA, boolean transB, float alpha, Matrix a, Matrix b, float beta, Matrix c) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException(
          "gemm shapes do not fit: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n + ", C " + c);
    }
    if (n == 1) {
      // C (m x 1) = op(A) x, where x = op(B) is a k-vector: B's one row, or B's one column (ld apart).
      cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, a.rows(), a.cols(), alpha, a.pointer(),
          a.ld(), b.pointer(), transB ? 1 : b.ld(), beta, c.pointer(), c.ld());
    } else {
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
          alpha, a.pointer(), a.ld(), b.pointer(), b.ld(), beta, c.pointer(), c.ld());
    }
  }
}
