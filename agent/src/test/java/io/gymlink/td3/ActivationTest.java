package io.gymlink.td3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationTest {
  @Test
  void tanh_withinTwoUlpsOfMathTanh() {
    for (float x = -12f; x <= 12f; x += 1f / 1024) {
      float expected = (float) Math.tanh(x);
      float actual = Activation.tanh(x);
      assertTrue(Math.abs(actual - expected) <= 2 * Math.ulp(expected), "tanh(" + x + ") = " + actual
          + ", expected " + expected);
    }
    for (float x : new float[] {0f, -0f, 1e-30f, -1e-8f, 0.0624999f, 0.0625f, 8.999f, 9.001f}) {
      assertEquals((float) Math.tanh(x), Activation.tanh(x), 2 * Math.ulp((float) Math.tanh(x)), "x=" + x);
    }
  }

  @Test
  void reluBackprop_passesGradientOnlyWherePositive() {
    float[] delta = {1f, 2f, 3f, 4f};
    Activation.RELU.backpropInPlace(delta, new float[] {0f, 1e-30f, 5f, Float.MIN_NORMAL}, 4);
    assertEquals(0f, delta[0]);
    assertEquals(2f, delta[1]);
    assertEquals(3f, delta[2]);
    assertEquals(4f, delta[3]);
  }

  @Test
  void named_unknownActivation_refusedListingChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.named("gelu"));
    assertTrue(e.getMessage().contains("\"gelu\"") && e.getMessage().contains("\"relu\""), e.getMessage());
  }
}
