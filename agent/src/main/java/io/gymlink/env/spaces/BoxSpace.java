package io.gymlink.env.spaces;

import java.util.Arrays;
import java.util.Random;

/**
 * A (possibly unbounded) box in R^n, like {@code gymnasium.spaces.Box}.
 *
 * <p>Bounds are per element, row-major, and may be infinite. Sampling follows Gymnasium: uniform on bounded
 * elements, normal on unbounded ones, shifted exponential on half-bounded ones; integer dtypes are floored.
 */
public record BoxSpace(int[] shape, DType dtype, double[] low, double[] high) implements Space {

  public BoxSpace {
    int size = Shapes.size(shape);
    if (low.length != size || high.length != size) {
      throw new IllegalArgumentException(
          "Box of shape " + Arrays.toString(shape) + " needs " + size + " bounds, got low " + low.length
              + " and high " + high.length);
    }
    for (int i = 0; i < size; i++) {
      if (Double.isNaN(low[i]) || Double.isNaN(high[i])) {
        throw new IllegalArgumentException("Box bounds at index " + i + " are NaN: low " + low[i] + ", high "
            + high[i]);
      }
      if (low[i] > high[i]) {
        throw new IllegalArgumentException("Box low[" + i + "]=" + low[i] + " is above high[" + i + "]=" + high[i]);
      }
    }
  }

  /** A rank-1 float32 box with the same bounds on every element. */
  public static BoxSpace of(int size, double low, double high) {
    double[] lows = new double[size];
    double[] highs = new double[size];
    Arrays.fill(lows, low);
    Arrays.fill(highs, high);
    return new BoxSpace(new int[] {size}, DType.FLOAT32, lows, highs);
  }

  /** Number of elements. */
  public int size() {
    return low.length;
  }

  /** Whether every element has finite lower and upper bounds. */
  public boolean isBounded() {
    for (int i = 0; i < low.length; i++) {
      if (Double.isInfinite(low[i]) || Double.isInfinite(high[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String check(SpaceValue value) {
    if (!(value instanceof BoxValue box)) {
      return "is " + kind(value) + ", expected a Box value of shape " + Shapes.describe(shape);
    }
    String shapeProblem = Shapes.checkShape(box.shape(), shape);
    if (shapeProblem != null) {
      return shapeProblem;
    }
    float[] data = box.data();
    for (int i = 0; i < data.length; i++) {
      float x = data[i];
      if (Float.isNaN(x)) {
        return "is NaN at index " + i;
      }
      if (belowLow(x, i)) {
        return "has " + x + " at index " + i + ", below the lower bound " + bound(low[i]);
      }
      if (aboveHigh(x, i)) {
        return "has " + x + " at index " + i + ", above the upper bound " + bound(high[i]);
      }
      if (dtype.isIntegral() && x != Math.rint(x)) {
        return "has " + x + " at index " + i + ", expected an integer for dtype " + dtype.numpyName();
      }
    }
    return null;
  }

  @Override
  public BoxValue sample(Random random) {
    float[] data = new float[low.length];
    for (int i = 0; i < data.length; i++) {
      boolean lowBounded = !Double.isInfinite(low[i]);
      boolean highBounded = !Double.isInfinite(high[i]);
      double x;
      if (lowBounded && highBounded) {
        x = dtype.isIntegral()
            ? Math.floor(low[i] + random.nextDouble() * (high[i] - low[i] + 1))
            : low[i] + random.nextDouble() * (high[i] - low[i]);
        x = Math.min(x, high[i]);
      } else if (lowBounded) {
        x = low[i] - Math.log(1.0 - random.nextDouble());
      } else if (highBounded) {
        x = high[i] + Math.log(1.0 - random.nextDouble());
      } else {
        x = random.nextGaussian();
      }
      if (dtype.isIntegral()) {
        x = Math.floor(x);
      }
      float f = (float) x;
      // Rounding to float can step just outside a bound; step back so that sample() always passes check().
      while (belowLow(f, i)) {
        f = Math.nextUp(f);
      }
      while (aboveHigh(f, i)) {
        f = Math.nextDown(f);
      }
      data[i] = f;
    }
    return new BoxValue(data, shape.clone());
  }

  /**
   * Whether {@code x} is below element i's lower bound, compared in the precision the server compares in: float for
   * float32/float16 boxes (whose bounds are float values widened to double), double otherwise (a float64 value is
   * sent as the exact double of the float, so 0.1f is above a float64 bound of 0.1).
   */
  private boolean belowLow(float x, int i) {
    return singlePrecision() ? x < (float) low[i] : (double) x < low[i];
  }

  private boolean aboveHigh(float x, int i) {
    return singlePrecision() ? x > (float) high[i] : (double) x > high[i];
  }

  private boolean singlePrecision() {
    return dtype == DType.FLOAT32 || dtype == DType.FLOAT16;
  }

  /** A bound as users know it: float32 bounds printed as floats (2.0, not 2.0000000298...). */
  private String bound(double value) {
    return singlePrecision() ? Float.toString((float) value) : Double.toString(value);
  }

  static String kind(SpaceValue value) {
    return value == null ? "null" : "a " + value.getClass().getSimpleName().replace("Value", "") + " value";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BoxSpace that
        && Arrays.equals(shape, that.shape)
        && dtype == that.dtype
        && Arrays.equals(low, that.low)
        && Arrays.equals(high, that.high);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + dtype.hashCode();
  }

  @Override
  public String toString() {
    return "Box(" + abbreviate(low) + ", " + abbreviate(high) + ", " + Shapes.describe(shape) + ", "
        + dtype.numpyName() + ")";
  }

  /** Bounds shown at each end of a long, non-uniform bound array (numpy's {@code edgeitems}); the rest is "...". */
  private static final int EDGE_ITEMS = 3;

  private String abbreviate(double[] bounds) {
    boolean uniform = Arrays.stream(bounds).distinct().count() <= 1;
    if (uniform && bounds.length > 0) {
      return bound(bounds[0]);
    }
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i++) {
      if (bounds.length > 2 * EDGE_ITEMS + 2 && i == EDGE_ITEMS) {
        out.append(", ...");
        i = bounds.length - EDGE_ITEMS - 1;
        continue;
      }
      out.append(i == 0 ? "" : ", ").append(bound(bounds[i]));
    }
    return out.append(']').toString();
  }
}
