package io.gymlink.nn;

import static io.gymlink.nn.OffHeapKernels.REGION_FLOATS;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One off-heap allocation, seen by ND4J as one {@link DataBuffer}, made of equal regions of
 * {@link OffHeapKernels#REGION_FLOATS} floats: the memory of a network's parameters and optimiser state, or of its
 * activations and deltas for one batch. Everything of a network lives in ND4J arrays that are views of an arena;
 * BLAS and {@link OffHeapKernels} work on the same memory, so every number has one copy.
 *
 * <p>The regions are reserved, not used: the allocation is a fresh mapping that the kernel backs with memory only
 * where it is written, so a region costs resident memory only for the part a network fills (its layout is checked
 * to fit at construction). ND4J's own allocators zero the whole buffer, which would make the reservation resident;
 * the memory is therefore allocated by JavaCPP and wrapped with {@link Nd4j#createBuffer}.
 */
final class OffHeapArena {
  private final FloatPointer memory;
  private final DataBuffer buffer;
  private final int regions;

  /** An arena of {@code regions} regions; every float that is used must be written first ({@link #zero}). */
  OffHeapArena(int regions) {
    if (regions < 1) {
      throw new IllegalArgumentException("an arena needs at least one region, got " + regions);
    }
    this.regions = regions;
    long floats = regions * REGION_FLOATS;
    this.memory = new FloatPointer(floats);
    if (memory.isNull()) {
      throw new OutOfMemoryError("cannot reserve " + floats * Float.BYTES + " bytes of off-heap memory");
    }
    this.buffer = Nd4j.createBuffer(memory, DataType.FLOAT, floats, FloatIndexer.create(memory));
  }

  /** Fails, naming {@code what}, unless {@code floats} fit in one region. */
  static void checkFits(String what, long floats) {
    if (floats > REGION_FLOATS) {
      throw new IllegalArgumentException(what + " needs " + floats + " floats, more than the " + REGION_FLOATS
          + " of one arena region; raise -Dgymlink.nn.regionFloats (a multiple of 16)");
    }
  }

  /** The absolute byte address of float {@code offset} of region {@code region}. */
  long address(int region, long offset) {
    check(region, offset, 0);
    return memory.address() + (region * REGION_FLOATS + offset) * Float.BYTES;
  }

  /** A pointer to float {@code offset} of region {@code region}, for BLAS (a view; owns no memory). */
  FloatPointer pointer(int region, long offset, long length) {
    check(region, offset, length);
    FloatPointer p = new FloatPointer(memory);
    long start = region * REGION_FLOATS + offset;
    p.position(start).limit(start + length).capacity(start + length);
    return p;
  }

  /** An ND4J array viewing {@code rows x cols} floats of region {@code region}, rows {@code ld} floats apart. */
  INDArray view(int region, long offset, int rows, int cols, int ld) {
    check(region, offset, rows == 0 ? 0 : (long) (rows - 1) * ld + cols);
    return Nd4j.create(buffer, new long[] {rows, cols}, new long[] {ld, 1}, region * REGION_FLOATS + offset, 'c');
  }

  /** An ND4J row vector viewing {@code length} floats of region {@code region}. */
  INDArray vector(int region, long offset, long length) {
    check(region, offset, length);
    return Nd4j.create(buffer, new long[] {1, length}, new long[] {length, 1}, region * REGION_FLOATS + offset, 'c');
  }

  /** Sets {@code length} floats of region {@code region} to zero. */
  void zero(int region, long offset, long length) {
    check(region, offset, length);
    OffHeapKernels.zero(address(region, offset), length);
  }

  /** Copies {@code length} floats from {@code src} into region {@code region}. */
  void write(int region, long offset, float[] src, int srcOffset, int length) {
    check(region, offset, length);
    OffHeapKernels.copyRowsIn(src, srcOffset, length, address(region, offset), 1, length, length);
  }

  /** Copies {@code length} floats of region {@code region} into {@code dst}. */
  void read(int region, long offset, float[] dst, int dstOffset, int length) {
    check(region, offset, length);
    OffHeapKernels.copyRowsOut(address(region, offset), 1, length, length, dst, dstOffset);
  }

  private void check(int region, long offset, long length) {
    if (region < 0 || region >= regions || offset < 0 || length < 0 || offset + length > REGION_FLOATS) {
      throw new IndexOutOfBoundsException("floats [" + offset + ", " + (offset + length) + ") of region " + region
          + " are outside an arena of " + regions + " regions of " + REGION_FLOATS + " floats");
    }
  }
}
