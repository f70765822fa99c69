package io.gymlink.ddpg;

/** Element-wise activation functions of an {@link Mlp} layer, with derivatives written in terms of the output. */
enum Activation {
  IDENTITY,
  RELU,
  TANH;

  /** The activation named like DdpgConfig.activation ("relu" or "tanh"). */
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
   * Adds the bias ({@code params[biasOffset..biasOffset+cols)}) to each of the {@code rows} rows of the row-major
   * {@code z} and applies this activation, in place.
   */
  void addBiasAndApply(float[] z, int rows, int cols, float[] params, int biasOffset) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      switch (this) {
        case IDENTITY -> {
          for (int j = 0; j < cols; j++) {
            z[o + j] = z[o + j] + params[biasOffset + j];
          }
        }
        case RELU -> {
          for (int j = 0; j < cols; j++) {
            z[o + j] = Math.max(z[o + j] + params[biasOffset + j], 0f);
          }
        }
        case TANH -> {
          for (int j = 0; j < cols; j++) {
            z[o + j] = (float) Math.tanh(z[o + j] + params[biasOffset + j]);
          }
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
        for (int i = 0; i < length; i++) {
          delta[i] = out[i] > 0f ? delta[i] : 0f;
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
      case TANH -> (float) Math.tanh(x);
    };
  }
}
