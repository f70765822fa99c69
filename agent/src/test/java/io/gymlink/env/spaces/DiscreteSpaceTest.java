package io.gymlink.env.spaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DiscreteSpaceTest {

  @Test
  void check_inRange_returnsNull() {
    DiscreteSpace space = new DiscreteSpace(3, 0);
    assertNull(space.check(new DiscreteValue(0)));
    assertNull(space.check(new DiscreteValue(2)));
  }

  @Test
  void check_outOfRange_namesRange() {
    assertEquals("is 3, expected an integer in [0, 2]", new DiscreteSpace(3, 0).check(new DiscreteValue(3)));
    assertEquals("is 4, expected an integer in [-1, 1]", new DiscreteSpace(3, -1).check(new DiscreteValue(4)));
  }

  @Test
  void check_boxValue_namesKinds() {
    assertEquals("is a Box value, expected a Discrete value in [0, 1]",
        new DiscreteSpace(2, 0).check(BoxValue.of(1f)));
  }

  @Test
  void new_zeroElements_throws() {
    assertThrows(IllegalArgumentException.class, () -> new DiscreteSpace(0, 0));
  }

  @Test
  void sample_withStart_coversEveryElementAndNothingElse() {
    DiscreteSpace space = new DiscreteSpace(4, 10);
    Random random = new Random(0);
    boolean[] seen = new boolean[4];
    for (int i = 0; i < 400; i++) {
      DiscreteValue v = space.sample(random);
      assertTrue(space.contains(v), v.toString());
      seen[(int) (v.value() - 10)] = true;
    }
    assertTrue(seen[0] && seen[1] && seen[2] && seen[3]);
  }

  @Test
  void sample_hugeN_staysInRange() {
    DiscreteSpace space = new DiscreteSpace(Long.MAX_VALUE, 0);
    Random random = new Random(1);
    for (int i = 0; i < 100; i++) {
      assertTrue(space.contains(space.sample(random)));
    }
  }

  @Test
  void toString_withStart_showsIt() {
    assertEquals("Discrete(3)", new DiscreteSpace(3, 0).toString());
    assertEquals("Discrete(3, start=-1)", new DiscreteSpace(3, -1).toString());
  }
}
