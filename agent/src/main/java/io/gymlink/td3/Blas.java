package io.gymlink.td3;

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
 * Single-precision matrix multiply on {@link NativeMatrix} operands, straight into the OpenBLAS that ND4J ships
 * ({@code org.bytedeco:openblas}), with no allocation and no per-call bookkeeping.
 *
 * <p>Measured on a 256x256x256 multiply: {@code Nd4j.gemm} into preallocated arrays ~150-190 µs, this direct call
 * ~137 µs (the difference is ND4J's per-call overhead, ~40 calls per DDPG update). OpenBLAS reads
 * {@code OPENBLAS_CORETYPE} and its thread count when the library loads, so those are chosen before the JVM starts
 * ({@code bin/openblas-env}); {@link #describeRuntime()} reports them.
 */
final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static final AtomicBoolean LOGGED = new AtomicBoolean();
  /** Set only by {@link UpdateProfiler} while it profiles; null otherwise (one field read per call). */
  static volatile GemmTimes timing;

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

  private static String cpuSummary() {
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
   * is k x n and C is m x n. Leading dimensions are the operands' column counts.
   */
  static void gemm(
      boolean transA, boolean transB, float alpha, NativeMatrix a, NativeMatrix b, float beta, NativeMatrix c) {
    int m = transA ? a.cols() : a.rows();
    int k = transA ? a.rows() : a.cols();
    int kb = transB ? b.cols() : b.rows();
    int n = transB ? b.rows() : b.cols();
    if (k != kb || c.rows() != m || c.cols() != n) {
      throw new IllegalArgumentException(
          "gemm shapes do not fit: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n + ", C " + c.rows() + "x"
              + c.cols());
    }
    GemmTimes times = timing;
    long start = times == null ? 0 : System.nanoTime();
    // A vector operand makes this a matrix-vector product; OpenBLAS 0.3.19's sgemm would still pack the matrix
    // (measured up to ~100 µs for ones^T dZ at 256x256, against a few µs for sgemv). Vectors are contiguous.
    if (n == 1) {
      // C (m x 1) = op(A) x, x = op(B) (k x 1).
      cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, a.rows(), a.cols(), alpha, a.pointer(),
          a.cols(), b.pointer(), 1, beta, c.pointer(), 1);
    } else if (m == 1) {
      // C^T (n x 1) = op(B)^T x, x = op(A)^T (k x 1).
      cblas_sgemv(CblasRowMajor, transB ? CblasNoTrans : CblasTrans, b.rows(), b.cols(), alpha, b.pointer(),
          b.cols(), a.pointer(), 1, beta, c.pointer(), 1);
    } else {
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
          alpha, a.pointer(), a.cols(), b.pointer(), b.cols(), beta, c.pointer(), c.cols());
    }
    if (times != null) {
      times.add(m, n, k, transA, transB, System.nanoTime() - start);
    }
  }
}
