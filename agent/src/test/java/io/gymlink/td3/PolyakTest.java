package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolyakTest {
  @Test
  void update_movesTargetTauOfTheWayToSource() {
    float[] target = {1f, -2f, 0f};
    float[] source = {3f, 2f, -1f};
    Polyak.update(target, source, 0.25);
    assertArrayEquals(new float[] {1.5f, -1f, -0.25f}, target, 1e-6f);
    assertArrayEquals(new float[] {3f, 2f, -1f}, source, 0f);
  }

  @Test
  void update_tauOne_copiesSource() {
    float[] target = {5f, 6f};
    Polyak.update(target, new float[] {-1f, 0.5f}, 1.0);
    assertArrayEquals(new float[] {-1f, 0.5f}, target, 0f);
  }

  @Test
  void update_differentSizes_refusedNamingBoth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Polyak.update(new float[2], new float[3], 0.1));
    assertTrue(e.getMessage().contains("target 2") && e.getMessage().contains("source 3"), e.getMessage());
  }
}
