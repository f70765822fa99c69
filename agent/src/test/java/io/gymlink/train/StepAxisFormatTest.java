package io.gymlink.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StepAxisFormatTest {

  @Test
  void shortensThousandsAndMillions() {
    assertEquals("0", StepAxisFormat.format(0));
    assertEquals("999", StepAxisFormat.format(999));
    assertEquals("1.5k", StepAxisFormat.format(1_500));
    assertEquals("25k", StepAxisFormat.format(25_000));
    assertEquals("250k", StepAxisFormat.format(250_000));
    assertEquals("1M", StepAxisFormat.format(1_000_000));
    assertEquals("1.25M", StepAxisFormat.format(1_250_000));
  }
}
