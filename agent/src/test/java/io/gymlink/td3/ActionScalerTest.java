package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.DType;
import org.junit.jupiter.api.Test;

class ActionScalerTest {
  private final ActionScaler scaler = new ActionScaler(SmallProblems.ACTION_SPACE); // low [-2, 0], high [2, 1]

  @Test
  void unscale_mapsTanhRangeOntoBounds_rowByRow() {
    float[] action = new float[6];
    scaler.unscale(new float[] {-1f, -1f, 0f, 0f, 1f, 1f}, action, 6);
    assertArrayEquals(new float[] {-2f, 0f, 0f, 0.5f, 2f, 1f}, action, 1e-6f);
  }

  @Test
  void scale_invertsUnscale() {
    float[] unit = {-0.9f, 0.3f, 0.25f, -0.5f};
    float[] back = new float[4];
    scaler.scale(scaler.unscale(unit), back, 4);
    assertArrayEquals(unit, back, 1e-6f);
  }

  @Test
  void unscale_outsideUnitRange_staysInBounds() {
    float[] action = scaler.unscale(new float[] {1.0000001f, -1.0000001f});
    assertTrue(action[0] <= 2f && action[1] >= 0f, action[0] + ", " + action[1]);
  }

  @Test
  void addNoiseAndClip_clipsToUnitRange() {
    float[] scaled = {0.9f, -0.5f};
    ActionScaler.addNoiseAndClip(scaled, new float[] {0.3f, 0.25f});
    assertArrayEquals(new float[] {1f, -0.25f}, scaled, 1e-7f);
  }

  @Test
  void degenerateBounds_scaleToZero() {
    ActionScaler fixed = new ActionScaler(new BoxSpace(new int[] {1}, DType.FLOAT32, new double[] {3},
        new double[] {3}));
    assertArrayEquals(new float[] {0f}, fixed.scale(new float[] {3f}));
    assertArrayEquals(new float[] {3f}, fixed.unscale(new float[] {0.7f}));
  }

  @Test
  void constructor_unboundedBox_refusedNamingTheSpace() {
    BoxSpace unbounded = new BoxSpace(new int[] {1}, DType.FLOAT32, new double[] {Double.NEGATIVE_INFINITY},
        new double[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ActionScaler(unbounded));
    assertTrue(e.getMessage().contains("bounded") && e.getMessage().contains("-Infinity"), e.getMessage());
  }
}
