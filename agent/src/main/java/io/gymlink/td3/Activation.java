package io.gymlink.td3;

/** Element-wise activation functions of an {@link Mlp} layer, with derivatives written in terms of the output. */
enum Activation {
  IDENTITY,
  RELU,
  TANH;

  /** The activation named like Td3Config.activation ("relu" or "tanh"). */
  static Activation named(String name) {
    return switch (name) {
      case "relu" -> RELU;
      case "tanh" -> TANH;
      case "identity" -> IDENTITY;
      default -> throw new IllegalArgumentException(
          "unknown activation \"" + name + "\", expected \"relu\", \"tanh\" or \"identity\"");
    };
  }

  /**
   * Adds the bias, replicated over the rows ({@code biasRows[0..length)}), to {@code z} and applies this
   * activation, in place. One flat index for both arrays: HotSpot 17 vectorises such a loop, but not the
   * row-by-row form with {@code z[row * cols + j] + bias[j]} (different offsets per array; measured ~6x slower).
   */
  void addBiasAndApply(float[] z, float[] biasRows, int length) {
    switch (this) {
      case IDENTITY -> {
        for (int i = 0; i < length; i++) {
          z[i] = z[i] + biasRows[i];
        }
      }
      case RELU -> {
        for (int i = 0; i < length; i++) {
          z[i] = Math.max(z[i] + biasRows[i], 0f);
        }
      }
      case TANH -> {
        for (int i = 0; i < length; i++) {
          z[i] = tanh(z[i] + biasRows[i]);
        }
      }
    }
  }

  /**
   * Turns the gradient with respect to this activation's output into the gradient with respect to its input, in
   * place: {@code delta[i] *= f'(z[i])}, where f' is computed from the output {@code out[i] = f(z[i])}.
   */
  void backpropInPlace(float[] delta, float[] out, int length) {
    switch (this) {
      case IDENTITY -> {
      }
      case RELU -> {
        // f'(z) = [out > 0] computed branch-free as min(out * 2^127, 1), exact for every normal float (a branch
        // mispredicts on half the elements: ~190 µs instead of ~3 µs for 65k elements). Subnormal outputs below
        // 2^-127 get a factor below one instead of one; their contribution is below float resolution anyway.
        for (int i = 0; i < length; i++) {
          delta[i] = delta[i] * Math.min(out[i] * 0x1.0p127f, 1f);
        }
      }
      case TANH -> {
        for (int i = 0; i < length; i++) {
          delta[i] = delta[i] * (1f - out[i] * out[i]);
        }
      }
    }
  }

  /** f(x) for one value, for the single-observation path. */
  float apply(float x) {
    return switch (this) {
      case IDENTITY -> x;
      case RELU -> Math.max(x, 0f);
      case TANH -> tanh(x);
    };
  }

  /**
   * tanh in float precision, ~3x faster than {@link Math#tanh} (fdlibm, ~20 ns, the whole cost of a tanh hidden
   * layer): (e - 1) / (e + 1) with e = exp(2|x|) via the exp intrinsic, a Taylor polynomial near 0 where that
   * formula cancels, and +-1 beyond |x| = 9 where tanh rounds to 1 in float.
   */
  static float tanh(float x) {
    float ax = Math.abs(x);
    if (ax < 0.0625f) {
      float x2 = x * x;
      return x * (1f + x2 * (-1f / 3f + x2 * (2f / 15f + x2 * (-17f / 315f))));
    }
    if (ax > 9f) {
      return Math.copySign(1f, x);
    }
    double e = Math.exp(2.0 * ax);
    return (float) Math.copySign((e - 1) / (e + 1), x);
  }
}
