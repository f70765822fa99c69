package io.gymlink.nn;

import java.lang.reflect.Field;
import sun.misc.Unsafe;

/**
 * The element-wise loops of the network package, run in Java directly on the off-heap memory of an
 * {@link OffHeapArena} (the memory ND4J's arrays and BLAS use), with no copy to the heap and back.
 *
 * <p>Why {@code Unsafe} and why region offsets: HotSpot 17 vectorises a loop over off-heap memory only when it can
 * prove that the loop's loads and stores do not overlap within a vector, which it can for addresses that differ by a
 * compile-time constant and cannot for independent base addresses (measured on this project's machines, one Adam
 * step of 122k parameters: 45-50 µs with the arrays a constant {@link #REGION_BYTES} apart, ~220 µs with four
 * separate buffers, ~60 µs on heap arrays; ND4J's fused {@code AdamUpdater} op ~750 µs). So every loop here takes
 * one address, and its operands live in the arena regions after it: a layer's deltas one region after its
 * activations; a network's gradients, Adam moments and target parameters one, two-three and four regions after its
 * parameters. {@link java.nio.FloatBuffer} and JavaCPP indexers are not vectorised (bounds check per element,
 * ~1 ns per element). Callers check bounds once, when the layout is built ({@link OffHeapArena}).
 */
final class OffHeapKernels {
  /** Floats per arena region: the most a network may hold in parameters, or in activations for one batch. */
  static final long REGION_FLOATS = regionFloats();
  /** The same in bytes; a {@code static final} so that the JIT sees the offsets between operands as constants. */
  static final long REGION_BYTES = REGION_FLOATS * Float.BYTES;

  private static final Unsafe UNSAFE = unsafe();
  private static final long FLOAT_ARRAY_BASE = Unsafe.ARRAY_FLOAT_BASE_OFFSET;

  private OffHeapKernels() {}

  private static long regionFloats() {
    long floats = Long.getLong("gymlink.nn.regionFloats", 1L << 22);
    if (floats < 1024 || floats % 16 != 0 || floats > (1L << 30)) {
      throw new IllegalArgumentException("gymlink.nn.regionFloats must be a multiple of 16 in [1024, 2^30], got "
          + floats);
    }
    return floats;
  }

  private static Unsafe unsafe() {
    try {
      Field field = Unsafe.class.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return (Unsafe) field.get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("sun.misc.Unsafe is not available: " + e, e);
    }
  }

  /** Applies {@code f} in place to {@code cols} floats of each of {@code rows} rows {@code ld} floats apart. */
  static void activate(Activation f, long address, int rows, int cols, int ld) {
    if (f == Activation.IDENTITY) {
      return;
    }
    long rowBytes = (long) ld * Float.BYTES;
    for (int r = 0; r < rows; r++) {
      long from = address + r * rowBytes;
      long to = from + (long) cols * Float.BYTES;
      if (f == Activation.RELU) {
        for (long a = from; a < to; a += Float.BYTES) {
          UNSAFE.putFloat(a, Math.max(UNSAFE.getFloat(a), 0f));
        }
      } else {
        for (long a = from; a < to; a += Float.BYTES) {
          UNSAFE.putFloat(a, Activation.tanh(UNSAFE.getFloat(a)));
        }
      }
    }
  }

  /**
   * Turns gradients with respect to activations into gradients with respect to pre-activations, in place: the
   * {@code n} deltas one region after {@code activations} are multiplied by f'(z), computed from the outputs.
   */
  static void backpropActivation(Activation f, long activations, long n) {
    long end = activations + n * Float.BYTES;
    switch (f) {
      case IDENTITY -> {
      }
      case RELU -> {
        // [y > 0] computed branch-free as min(y * 2^127, 1), exact for every normal float (a branch mispredicts on
        // half the elements: ~40x slower). Outputs below 2^-127 get a factor below one; they are below float
        // resolution of any delta they would scale.
        for (long a = activations; a < end; a += Float.BYTES) {
          UNSAFE.putFloat(a + REGION_BYTES,
              UNSAFE.getFloat(a + REGION_BYTES) * Math.min(UNSAFE.getFloat(a) * 0x1.0p127f, 1f));
        }
      }
      case TANH -> {
        for (long a = activations; a < end; a += Float.BYTES) {
          float y = UNSAFE.getFloat(a);
          UNSAFE.putFloat(a + REGION_BYTES, UNSAFE.getFloat(a + REGION_BYTES) * (1f - y * y));
        }
      }
    }
  }

  /**
   * One Adam step over {@code n} parameters at {@code params}, with their gradients one region after, the first
   * and second moments two and three regions after (PyTorch's arithmetic, see {@link Adam}).
   */
  static void adam(long params, long n, AdamStep s) {
    // Scalars in locals: the loop's raw stores could otherwise be taken to alias the record's fields.
    float b1 = s.beta1();
    float c1 = s.oneMinusBeta1();
    float b2 = s.beta2();
    float c2 = s.oneMinusBeta2();
    float stepSize = s.stepSize();
    float correction = s.inverseSqrtCorrection2();
    float eps = s.epsilon();
    long end = params + n * Float.BYTES;
    for (long a = params; a < end; a += Float.BYTES) {
      float g = UNSAFE.getFloat(a + REGION_BYTES);
      float m = b1 * UNSAFE.getFloat(a + 2 * REGION_BYTES) + c1 * g;
      float v = b2 * UNSAFE.getFloat(a + 3 * REGION_BYTES) + c2 * g * g;
      UNSAFE.putFloat(a + 2 * REGION_BYTES, m);
      UNSAFE.putFloat(a + 3 * REGION_BYTES, v);
      UNSAFE.putFloat(a, UNSAFE.getFloat(a) - stepSize * m / ((float) Math.sqrt(v) * correction + eps));
    }
  }

  /** {@link #adam} and then Polyak averaging of the target parameters four regions after, in one sweep. */
  static void adamAndPolyak(long params, long n, AdamStep s, float keep, float take) {
    float b1 = s.beta1();
    float c1 = s.oneMinusBeta1();
    float b2 = s.beta2();
    float c2 = s.oneMinusBeta2();
    float stepSize = s.stepSize();
    float correction = s.inverseSqrtCorrection2();
    float eps = s.epsilon();
    long end = params + n * Float.BYTES;
    for (long a = params; a < end; a += Float.BYTES) {
      float g = UNSAFE.getFloat(a + REGION_BYTES);
      float m = b1 * UNSAFE.getFloat(a + 2 * REGION_BYTES) + c1 * g;
      float v = b2 * UNSAFE.getFloat(a + 3 * REGION_BYTES) + c2 * g * g;
      UNSAFE.putFloat(a + 2 * REGION_BYTES, m);
      UNSAFE.putFloat(a + 3 * REGION_BYTES, v);
      float p = UNSAFE.getFloat(a) - stepSize * m / ((float) Math.sqrt(v) * correction + eps);
      UNSAFE.putFloat(a, p);
      UNSAFE.putFloat(a + 4 * REGION_BYTES, UNSAFE.getFloat(a + 4 * REGION_BYTES) * keep + take * p);
    }
  }

  /** Polyak averaging: target (four regions after {@code params}) = target * keep + take * params. */
  static void polyak(long params, long n, float keep, float take) {
    long end = params + n * Float.BYTES;
    for (long a = params; a < end; a += Float.BYTES) {
      UNSAFE.putFloat(a + 4 * REGION_BYTES, UNSAFE.getFloat(a + 4 * REGION_BYTES) * keep + take * UNSAFE.getFloat(a));
    }
  }

  /**
   * Copies {@code rows} rows of {@code cols} floats from a row-major heap array ({@code srcLd} floats apart,
   * starting at {@code srcOffset}) to off-heap rows {@code ld} floats apart.
   */
  static void copyRowsIn(float[] src, int srcOffset, int srcLd, long address, int rows, int cols, int ld) {
    checkHeapRange(src, srcOffset, rows, cols, srcLd);
    long bytes = (long) cols * Float.BYTES;
    for (int r = 0; r < rows; r++) {
      UNSAFE.copyMemory(src, FLOAT_ARRAY_BASE + (long) (srcOffset + r * srcLd) * Float.BYTES, null,
          address + (long) r * ld * Float.BYTES, bytes);
    }
  }

  /**
   * Copies {@code rows} off-heap rows of {@code cols} floats ({@code ld} apart) into a dense heap array from
   * {@code dstOffset} on.
   */
  static void copyRowsOut(long address, int rows, int cols, int ld, float[] dst, int dstOffset) {
    checkHeapRange(dst, dstOffset, rows, cols, cols);
    long bytes = (long) cols * Float.BYTES;
    for (int r = 0; r < rows; r++) {
      UNSAFE.copyMemory(null, address + (long) r * ld * Float.BYTES, dst,
          FLOAT_ARRAY_BASE + ((long) dstOffset + (long) r * cols) * Float.BYTES, bytes);
    }
  }

  private static void checkHeapRange(float[] array, int offset, int rows, int cols, int ld) {
    long end = rows == 0 ? offset : offset + (long) (rows - 1) * ld + cols;
    if (offset < 0 || end > array.length) {
      throw new IndexOutOfBoundsException("floats [" + offset + ", " + end + ") are outside an array of "
          + array.length);
    }
  }

  /** Copies {@code n} floats between off-heap addresses (the ranges must not overlap). */
  static void copy(long from, long to, long n) {
    UNSAFE.copyMemory(from, to, n * Float.BYTES);
  }

  /** Sets {@code n} floats at {@code address} to zero. */
  static void zero(long address, long n) {
    UNSAFE.setMemory(address, n * Float.BYTES, (byte) 0);
  }

  /** Writes {@code value} into column {@code col} of {@code rows} rows {@code ld} floats apart. */
  static void fillColumn(long address, int rows, int ld, int col, float value) {
    for (int r = 0; r < rows; r++) {
      UNSAFE.putFloat(address + ((long) r * ld + col) * Float.BYTES, value);
    }
  }

  /** The scalars of one Adam step, computed once per step. */
  record AdamStep(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize,
      float inverseSqrtCorrection2, float epsilon) {}
}
