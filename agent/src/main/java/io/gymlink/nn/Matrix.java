package io.gymlink.nn;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A row-major float matrix inside an {@link OffHeapArena}: {@code rows x cols} floats, rows {@code ld} floats
 * apart, as BLAS addresses it. A view: it owns no memory. {@link #address()} is where {@link OffHeapKernels} reads
 * it, {@link #pointer()} where BLAS does.
 */
final class Matrix {
  private final OffHeapArena arena;
  private final int region;
  private final long offset;
  private final int rows;
  private final int cols;
  private final int ld;
  private final FloatPointer pointer;
  private final long address;

  private Matrix(OffHeapArena arena, int region, long offset, int rows, int cols, int ld) {
    if (rows < 1 || cols < 1 || ld < cols) {
      throw new IllegalArgumentException("matrix " + rows + "x" + cols + " with rows " + ld + " apart");
    }
    this.arena = arena;
    this.region = region;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
    this.ld = ld;
    this.pointer = arena.pointer(region, offset, (long) (rows - 1) * ld + cols);
    this.address = arena.address(region, offset);
  }

  /** The matrix at float {@code offset} of {@code region}. */
  static Matrix in(OffHeapArena arena, int region, long offset, int rows, int cols, int ld) {
    return new Matrix(arena, region, offset, rows, cols, ld);
  }

  /** {@code count} rows from row {@code from} on (same columns and row distance). */
  Matrix rows(int from, int count) {
    if (from < 0 || count < 1 || from + count > rows) {
      throw new IllegalArgumentException("rows [" + from + ", " + (from + count) + ") of a " + rows + "-row matrix");
    }
    return new Matrix(arena, region, offset + (long) from * ld, count, cols, ld);
  }

  /** The first {@code count} columns (same rows and row distance). */
  Matrix firstColumns(int count) {
    return new Matrix(arena, region, offset, rows, count, ld);
  }

  /** The matrix at the same offset {@code regions} regions further on (a layer's deltas beside its activations). */
  Matrix shifted(int regions) {
    return new Matrix(arena, region + regions, offset, rows, cols, ld);
  }

  int rows() {
    return rows;
  }

  int cols() {
    return cols;
  }

  int ld() {
    return ld;
  }

  FloatPointer pointer() {
    return pointer;
  }

  long address() {
    return address;
  }

  /** Floats from the first to the last element, row gaps included. */
  long span() {
    return (long) (rows - 1) * ld + cols;
  }

  @Override
  public String toString() {
    return rows + "x" + cols + (ld == cols ? "" : " (ld " + ld + ")");
  }
}
