package io.gymlink.env.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** MultiDiscrete and MultiBinary. */
class MultiSpacesTest {

  private static final MultiDiscreteSpace GRID =
      new MultiDiscreteSpace(new long[] {2, 3}, new long[] {0, 5}, new int[] {2}, DType.INT64);
  private static final MultiBinarySpace FLAGS = new MultiBinarySpace(new int[] {3});

  @Test
  void multiDiscrete_check_inRange_returnsNull() {
    assertNull(GRID.check(new MultiDiscreteValue(new long[] {1, 7}, new int[] {2})));
  }

  @Test
  void multiDiscrete_check_outOfRange_namesIndexAndRange() {
    assertEquals("has 8 at index 1, expected an integer in [5, 7]",
        GRID.check(new MultiDiscreteValue(new long[] {0, 8}, new int[] {2})));
  }

  @Test
  void multiDiscrete_check_wrongShape_namesShapes() {
    assertEquals("has shape [3], expected [2]", GRID.check(new MultiDiscreteValue(new long[] {0, 5, 5},
        new int[] {3})));
  }

  @Test
  void multiDiscrete_new_zeroChoices_throws() {
    assertThrows(IllegalArgumentException.class,
        () -> new MultiDiscreteSpace(new long[] {0}, new long[] {0}, new int[] {1}, DType.INT64));
  }

  @Test
  void multiDiscrete_sample_staysInRangeAndCoversIt() {
    Random random = new Random(0);
    boolean[] seen = new boolean[3];
    for (int i = 0; i < 300; i++) {
      MultiDiscreteValue v = GRID.sample(random);
      assertTrue(GRID.contains(v), v.toString());
      seen[(int) (v.data()[1] - 5)] = true;
    }
    assertTrue(seen[0] && seen[1] && seen[2]);
  }

  @Test
  void multiBinary_check_nonBinary_namesIndex() {
    assertNull(FLAGS.check(new MultiBinaryValue(new byte[] {0, 1, 1}, new int[] {3})));
    assertEquals("has 2 at index 2, expected 0 or 1",
        FLAGS.check(new MultiBinaryValue(new byte[] {0, 1, 2}, new int[] {3})));
    assertEquals("has shape [2], expected [3]", FLAGS.check(new MultiBinaryValue(new byte[] {0, 1}, new int[] {2})));
  }

  @Test
  void multiBinary_sample_isBinaryOfTheShape() {
    MultiBinarySpace grid = new MultiBinarySpace(new int[] {2, 2});
    Random random = new Random(1);
    for (int i = 0; i < 50; i++) {
      assertTrue(grid.contains(grid.sample(random)));
    }
  }

  @Test
  void values_dataNotMatchingShape_throw() {
    assertThrows(IllegalArgumentException.class, () -> new MultiBinaryValue(new byte[2], new int[] {3}));
    assertThrows(IllegalArgumentException.class, () -> new MultiDiscreteValue(new long[2], new int[] {3}));
    assertThrows(IllegalArgumentException.class, () -> new BoxValue(new float[2], new int[] {3}));
  }
}
