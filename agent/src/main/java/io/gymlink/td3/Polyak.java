package io.gymlink.td3;

/** Polyak averaging of target-network parameters (Lillicrap et al. 2016, Algorithm 1; SB3 {@code polyak_update}). */
final class Polyak {
  private Polyak() {}

  /** target = (1 - tau) * target + tau * source, element by element, in SB3's order of operations. */
  static void update(float[] target, float[] source, double tau) {
    if (target.length != source.length) {
      throw new IllegalArgumentException(
          "Polyak update needs equal sizes, got target " + target.length + " and source " + source.length);
    }
    float keep = (float) (1 - tau);
    float take = (float) tau;
    for (int i = 0; i < target.length; i++) {
      target[i] = target[i] * keep + take * source[i];
    }
  }
}
