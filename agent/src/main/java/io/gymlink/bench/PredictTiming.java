package io.gymlink.bench;

import io.gymlink.td3.Td3;
import java.util.Arrays;

/** Median microseconds of one single-observation {@link Td3#predict(float[])}, the acting path of the loop. */
final class PredictTiming {
  private PredictTiming() {}

  static double medianMicros(Td3 learner, int observationDim) {
    float[] observation = new float[observationDim];
    double[] micros = new double[2000];
    float sink = 0;
    for (int i = 0; i < 22000; i++) {
      observation[0] = (i % 100) / 100f;
      long t0 = System.nanoTime();
      sink += learner.predict(observation)[0];
      if (i >= 20000) {
        micros[i - 20000] = (System.nanoTime() - t0) / 1e3;
      }
    }
    Arrays.sort(micros);
    return Float.isNaN(sink) ? Double.NaN : micros[micros.length / 2];
  }
}
