package io.gymlink.env.spaces;

/** Element type of a Box space or a tensor, named as in numpy. */
public enum DType {
  FLOAT16(2, false),
  FLOAT32(4, false),
  FLOAT64(8, false),
  INT8(1, true),
  INT16(2, true),
  INT32(4, true),
  INT64(8, true),
  UINT8(1, true),
  UINT16(2, true),
  UINT32(4, true),
  UINT64(8, true),
  BOOL(1, true);

  private final int itemSize;
  private final boolean integral;

  DType(int itemSize, boolean integral) {
    this.itemSize = itemSize;
    this.integral = integral;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** Whether elements are integers (or booleans). */
  public boolean isIntegral() {
    return integral;
  }

  /** The numpy name, e.g. {@code float32}. */
  public String numpyName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
