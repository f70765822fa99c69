package io.gymlink.td3;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A row-major float matrix in off-heap memory that BLAS reads and writes in place, with bulk copies to and from heap
 * arrays for the element-wise work.
 *
 * <p>Why two homes for the same numbers: the JNI {@code float[]} overloads of {@code cblas_sgemm} copy every operand
 * (a 256x256 multiply went from ~140 to ~380 µs), while HotSpot vectorises loops over heap arrays but not over
 * direct buffers (~10x slower per element). A bulk copy of 64k floats costs ~2 µs, so the cheap path is: BLAS on
 * off-heap memory, element-wise loops on heap mirrors. A matrix may also be a view into a larger allocation (one
 * layer's weights inside a network's flat parameter buffer); views share memory and own none.
 */
final class NativeMatrix {
  private final FloatPointer pointer;
  private final FloatBuffer buffer;
  private final int rows;
  private final int cols;

  private NativeMatrix(FloatPointer pointer, int rows, int cols) {
    this.pointer = pointer;
    this.rows = rows;
    this.cols = cols;
    this.buffer = pointer.asBuffer();
  }

  /** A new zero-filled rows x cols matrix; memory is freed when it becomes unreachable. */
  static NativeMatrix allocate(int rows, int cols) {
    long size = (long) rows * cols;
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("matrix of " + rows + "x" + cols + " floats is too large");
    }
    FloatPointer p = new FloatPointer(size);
    p.zero();
    return new NativeMatrix(p, rows, cols);
  }

  /** A rows x cols view of this matrix's memory starting {@code offset} floats in (shares memory, owns none). */
  NativeMatrix view(long offset, int rows, int cols) {
    long end = offset + (long) rows * cols;
    if (offset < 0 || end > size()) {
      throw new IllegalArgumentException(
          "view [" + offset + ", " + end + ") is outside a matrix of " + size() + " floats");
    }
    FloatPointer p = new FloatPointer(pointer);
    p.position(pointer.position() + offset).limit(pointer.position() + end);
    p.capacity(pointer.position() + end);
    return new NativeMatrix(p, rows, cols);
  }

  FloatPointer pointer() {
    return pointer;
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  int size() {
    return rows * cols;
  }

  /** Copies all elements into {@code dst[0..size)}. */
  void copyTo(float[] dst) {
    buffer.get(0, dst, 0, size());
  }

  /** Copies {@code src[0..size)} into this matrix. */
  void copyFrom(float[] src) {
    buffer.put(0, src, 0, size());
  }

  /** Copies {@code length} floats starting at element {@code from} into {@code dst[dstOffset..]}. */
  void copyTo(int from, float[] dst, int dstOffset, int length) {
    buffer.get(from, dst, dstOffset, length);
  }

  /** Copies {@code src[srcOffset..srcOffset+length)} into this matrix starting at element {@code to}. */
  void copyFrom(float[] src, int srcOffset, int to, int length) {
    buffer.put(to, src, srcOffset, length);
  }

  /** One element, for tests and debugging (slow path). */
  float get(int row, int col) {
    return buffer.get(row * cols + col);
  }
}
