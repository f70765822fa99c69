package io.gymlink.train;

import java.util.Locale;

/**
 * Tick labels of the "environment step" axis of the plots, in the short form RL curves use ("250k", "1M", "1.25M"),
 * instead of the plotting library's scientific notation ("2.5E5") on long runs.
 */
final class StepAxisFormat {

  private StepAxisFormat() {}

  /** {@code 0 -> "0"}, {@code 25000 -> "25k"}, {@code 1500 -> "1.5k"}, {@code 1250000 -> "1.25M"}, {@code 999 -> "999"}. */
  static String format(double step) {
    double magnitude = Math.abs(step);
    if (magnitude >= 1_000_000) {
      return trim(step / 1_000_000) + "M";
    }
    if (magnitude >= 1_000) {
      return trim(step / 1_000) + "k";
    }
    return trim(step);
  }

  /** At most two decimals, without trailing zeros. */
  private static String trim(double value) {
    String text = String.format(Locale.ROOT, "%.2f", value);
    text = text.replaceAll("0+$", "");
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }
}
