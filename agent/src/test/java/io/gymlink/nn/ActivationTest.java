package io.gymlink.nn;

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
  void reluDerivative_isOneWherePositiveAndZeroAtZero() {
    assertEquals(0f, Activation.RELU.derivativeFromOutput(0f));
    assertEquals(1f, Activation.RELU.derivativeFromOutput(1e-30f));
    assertEquals(1f, Activation.RELU.derivativeFromOutput(5f));
    assertEquals(1f, Activation.RELU.derivativeFromOutput(Float.MIN_NORMAL));
    assertEquals(1f - 0.25f, Activation.TANH.derivativeFromOutput(0.5f));
    assertEquals(1f, Activation.IDENTITY.derivativeFromOutput(-3f));
  }

  @Test
  void named_unknownActivation_refusedListingChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.named("gelu"));
    assertTrue(e.getMessage().contains("\"gelu\"") && e.getMessage().contains("\"relu\""), e.getMessage());
    assertEquals(Activation.TANH, Activation.named(Activation.TANH.configName()));
  }
}
