package io.gymlink.env.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BoxSpaceTest {

  private static final BoxSpace PENDULUM_ACTION = BoxSpace.of(1, -2.0, 2.0);

  @Test
  void check_valueInBounds_returnsNull() {
    assertNull(PENDULUM_ACTION.check(BoxValue.of(1.5f)));
    assertTrue(PENDULUM_ACTION.contains(BoxValue.of(-2.0f)));
    assertTrue(PENDULUM_ACTION.contains(BoxValue.of(2.0f)));
  }

  @Test
  void check_wrongShape_namesBothShapes() {
    assertEquals("has shape [3], expected [1]", PENDULUM_ACTION.check(BoxValue.of(0f, 0f, 0f)));
  }

  @Test
  void check_nan_namesIndex() {
    BoxSpace box = BoxSpace.of(3, -1, 1);
    assertEquals("is NaN at index 1", box.check(BoxValue.of(0f, Float.NaN, 0f)));
  }

  @Test
  void check_outOfBounds_namesValueIndexAndBound() {
    assertEquals("has 2.5 at index 0, above the upper bound 2.0", PENDULUM_ACTION.check(BoxValue.of(2.5f)));
    assertEquals("has -3.0 at index 0, below the lower bound -2.0", PENDULUM_ACTION.check(BoxValue.of(-3f)));
  }

  @Test
  void check_wrongValueKind_namesBoth() {
    assertEquals("is a Discrete value, expected a Box value of shape [1]",
        PENDULUM_ACTION.check(new DiscreteValue(1)));
    assertEquals("is null, expected a Box value of shape [1]", PENDULUM_ACTION.check(null));
  }

  @Test
  void check_integerDtypeWithFraction_rejects() {
    BoxSpace pixels = new BoxSpace(new int[] {2}, DType.UINT8, new double[] {0, 0}, new double[] {255, 255});
    assertNull(pixels.check(BoxValue.of(0f, 255f)));
    assertEquals("has 1.5 at index 1, expected an integer for dtype uint8", pixels.check(BoxValue.of(0f, 1.5f)));
  }

  @Test
  void check_float32BoundNotRepresentable_comparesInFloat() {
    // Gymnasium stores the bounds of a float32 box as float32: 0.1f is inside Box(-0.1, 0.1, float32).
    BoxSpace box = BoxSpace.of(1, -0.1, 0.1);
    assertTrue(box.contains(BoxValue.of(0.1f)));
  }

  @Test
  void check_float64Bound_comparesInDouble() {
    // A float64 box compares the exact double of the float value, as the server does: 0.1f > 0.1.
    BoxSpace box = new BoxSpace(new int[] {1}, DType.FLOAT64, new double[] {-0.1}, new double[] {0.1});
    assertEquals("has 0.1 at index 0, above the upper bound 0.1", box.check(BoxValue.of(0.1f)));
    assertTrue(box.contains(BoxValue.of(Math.nextDown(0.1f))));
  }

  @Test
  void check_unboundedBox_acceptsInfinities() {
    BoxSpace box = BoxSpace.of(2, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    assertTrue(box.contains(BoxValue.of(Float.NEGATIVE_INFINITY, Float.MAX_VALUE)));
    assertFalse(box.isBounded());
    assertTrue(PENDULUM_ACTION.isBounded());
  }

  @Test
  void new_lowAboveHigh_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BoxSpace(new int[] {1}, DType.FLOAT32, new double[] {1}, new double[] {0}));
    assertEquals("Box low[0]=1.0 is above high[0]=0.0", e.getMessage());
  }

  @Test
  void new_nanBound_throws() {
    assertThrows(IllegalArgumentException.class,
        () -> new BoxSpace(new int[] {1}, DType.FLOAT32, new double[] {Double.NaN}, new double[] {0}));
  }

  @Test
  void new_boundsNotMatchingShape_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BoxSpace(new int[] {2, 2}, DType.FLOAT32, new double[3], new double[4]));
    assertEquals("Box of shape [2, 2] needs 4 bounds, got low 3 and high 4", e.getMessage());
  }

  @Test
  void sample_bounded_staysWithinBoundsAndCoversThem() {
    Random random = new Random(0);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 2000; i++) {
      BoxValue v = PENDULUM_ACTION.sample(random);
      assertNull(PENDULUM_ACTION.check(v));
      min = Math.min(min, v.data()[0]);
      max = Math.max(max, v.data()[0]);
    }
    assertTrue(min < -1.9 && max > 1.9, "samples should spread over [-2, 2], got [" + min + ", " + max + "]");
  }

  @Test
  void sample_halfBounded_staysOnTheBoundedSide() {
    BoxSpace box = new BoxSpace(new int[] {2}, DType.FLOAT32,
        new double[] {3, Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY, -5});
    Random random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      BoxValue v = box.sample(random);
      assertTrue(v.data()[0] >= 3 && v.data()[1] <= -5, v.toString());
      assertTrue(box.contains(v));
    }
  }

  @Test
  void sample_unbounded_isFiniteAndSpreadsBothWays() {
    BoxSpace box = BoxSpace.of(1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    Random random = new Random(2);
    boolean negative = false;
    boolean positive = false;
    for (int i = 0; i < 200; i++) {
      float x = box.sample(random).data()[0];
      assertTrue(Float.isFinite(x));
      negative |= x < 0;
      positive |= x > 0;
    }
    assertTrue(negative && positive);
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"INT8", "INT32", "INT64", "UINT8", "UINT16"})
  void sample_integerDtype_givesIntegersIncludingBothBounds(DType dtype) {
    BoxSpace box = new BoxSpace(new int[] {1}, dtype, new double[] {0}, new double[] {3});
    Random random = new Random(3);
    boolean[] seen = new boolean[4];
    for (int i = 0; i < 400; i++) {
      float x = box.sample(random).data()[0];
      assertEquals(Math.rint(x), x, 0.0);
      seen[(int) x] = true;
    }
    assertTrue(seen[0] && seen[1] && seen[2] && seen[3], "every integer in [0, 3] should be drawn");
  }

  @Test
  void sample_float64BoundNotRepresentableAsFloat_staysInside() {
    // A draw rounded to the nearest float can land just below 0.1 (nextDown(0.1f) < 0.1 < 0.1f).
    BoxSpace box = new BoxSpace(new int[] {1}, DType.FLOAT64, new double[] {0.1}, new double[] {0.10000001});
    Random random = new Random(4);
    for (int i = 0; i < 100; i++) {
      BoxValue v = box.sample(random);
      assertNull(box.check(v));
    }
  }

  @Test
  void sample_sameSeed_sameValues() {
    assertEquals(PENDULUM_ACTION.sample(new Random(7)), PENDULUM_ACTION.sample(new Random(7)));
  }

  @Test
  void toString_float32Bounds_printsFloats() {
    BoxSpace box = new BoxSpace(new int[] {2}, DType.FLOAT32, new double[] {-4.8f, Double.NEGATIVE_INFINITY},
        new double[] {4.8f, Double.POSITIVE_INFINITY});
    assertEquals("Box([-4.8, -Infinity], [4.8, Infinity], [2], float32)", box.toString());
  }

  @Test
  void toString_longMixedBounds_showsThreeAtEachEnd() {
    double[] low = new double[339];
    double[] high = new double[339];
    for (int i = 0; i < low.length; i++) {
      low[i] = -i;
      high[i] = i;
    }
    BoxSpace box = new BoxSpace(new int[] {339}, DType.FLOAT64, low, high);
    assertEquals("Box([0.0, -1.0, -2.0, ..., -336.0, -337.0, -338.0], [0.0, 1.0, 2.0, ..., 336.0, 337.0, 338.0],"
        + " [339], float64)", box.toString());
  }

  @Test
  void equals_sameBounds_equalAndSameHash() {
    assertEquals(BoxSpace.of(1, -2, 2), PENDULUM_ACTION);
    assertEquals(BoxSpace.of(1, -2, 2).hashCode(), PENDULUM_ACTION.hashCode());
    assertFalse(PENDULUM_ACTION.equals(BoxSpace.of(1, -1, 2)));
  }
}
