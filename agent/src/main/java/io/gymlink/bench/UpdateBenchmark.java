package io.gymlink.bench;

import io.gymlink.buffer.Batch;
import io.gymlink.td3.Td3Config;
import io.gymlink.td3.Td3;
import io.gymlink.td3.UpdateProfiler;
import io.gymlink.env.spaces.BoxSpace;
import java.util.Arrays;
import java.util.Random;

/**
 * Measures milliseconds per DDPG gradient step (critic + actor + Polyak) on synthetic Pendulum-shaped batches and
 * prints one markdown table row per network: median, p90, p10 and mean over the timed updates, and the median
 * single-observation {@code predict} time.
 *
 * <p>Usage: {@code UpdateBenchmark [--label TEXT] [--net 256,256] [--net 400,300] [--batch 256] [--obs 3] [--act 1]
 * [--warmup 100] [--updates 200] [--activation relu] [--header] [--profile]}; {@code --profile} prints where the
 * time goes instead. Thread counts and the OpenBLAS kernel are fixed when the native library loads, so the caller
 * ({@code bin/bench-update}) runs one JVM per setting.
 */
public final class UpdateBenchmark {
  private UpdateBenchmark() {}

  public static void main(String[] args) {
    String label = "";
    java.util.List<int[]> nets = new java.util.ArrayList<>();
    int batchSize = 256;
    int obs = 3;
    int act = 1;
    int warmup = 100;
    int updates = 200;
    boolean header = false;
    boolean profile = false;
    String activation = "relu";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--label" -> label = args[++i];
        case "--net" -> nets.add(Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray());
        case "--batch" -> batchSize = Integer.parseInt(args[++i]);
        case "--obs" -> obs = Integer.parseInt(args[++i]);
        case "--act" -> act = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--updates" -> updates = Integer.parseInt(args[++i]);
        case "--header" -> header = true;
        case "--profile" -> profile = true;
        case "--activation" -> activation = args[++i];
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (nets.isEmpty()) {
      nets.add(new int[] {256, 256});
      nets.add(new int[] {400, 300});
    }
    if (header) {
      System.out.println("| setting | net | batch | median ms | p90 ms | p10 ms | mean ms | updates | predict µs |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
    }
    for (int[] net : nets) {
      if (profile) {
        System.out.println();
        String suffix = label.isEmpty() ? "" : " (" + label + ")";
        System.out.println("Profile of " + Arrays.toString(net) + ", batch " + batchSize + suffix + ":");
        System.out.println();
        System.out.println("| phase | ms per update | share / speed |");
        System.out.println("|---|---|---|");
        Setup setup = setup(net, batchSize, obs, act, activation);
        for (int i = 0; i < warmup; i++) {
          setup.learner.train(setup.batches[i % setup.batches.length]);
        }
        UpdateProfiler.profile(setup.learner, setup.batches, updates).forEach(System.out::println);
        continue;
      }
      Setup setup = setup(net, batchSize, obs, act, activation);
      double[] ms = run(setup, warmup, updates);
      double predictMicros = timePredict(setup.learner, obs);
      double[] sorted = ms.clone();
      Arrays.sort(sorted);
      double median = sorted[sorted.length / 2];
      double p90 = sorted[(int) Math.ceil(0.9 * sorted.length) - 1];
      double p10 = sorted[(int) (0.1 * sorted.length)];
      double mean = Arrays.stream(ms).average().orElse(Double.NaN);
      System.out.printf("| %s | %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %.1f |%n", label,
          Arrays.toString(net).replace(" ", ""), batchSize, median, p90, p10, mean, updates, predictMicros);
    }
  }

  private record Setup(Td3 learner, Batch[] batches) {}

  /** Median microseconds of one single-observation {@link Td3#predict} (the acting path). */
  private static double timePredict(Td3 learner, int obs) {
    float[] observation = new float[obs];
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

  private static double[] run(Setup setup, int warmup, int updates) {
    Td3 learner = setup.learner;
    Batch[] batches = setup.batches;
    for (int i = 0; i < warmup; i++) {
      learner.train(batches[i % batches.length]);
    }
    double[] ms = new double[updates];
    for (int i = 0; i < updates; i++) {
      long t0 = System.nanoTime();
      learner.train(batches[i % batches.length]);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return ms;
  }

  private static Setup setup(int[] net, int batchSize, int obs, int act, String activation) {
    Td3Config d = Td3Config.ddpg();
    Td3Config config = new Td3Config(d.learningRate(), batchSize, d.tau(), d.gamma(),
        java.util.Arrays.stream(net).boxed().toList(), activation, false, 1, 0.0, d.targetNoiseClip());
    Random random = new Random(0);
    Td3 learner = new Td3(obs, BoxSpace.of(act, -2, 2), config, random);
    Batch[] batches = new Batch[8];
    for (int b = 0; b < batches.length; b++) {
      batches[b] = Batch.allocate(batchSize, obs, act);
      fill(batches[b], random);
    }
    return new Setup(learner, batches);
  }

  private static void fill(Batch batch, Random random) {
    fillUniform(batch.observations(), random, -1, 1);
    fillUniform(batch.nextObservations(), random, -1, 1);
    fillUniform(batch.actions(), random, -2, 2);
    fillUniform(batch.rewards(), random, -16, 0);
    for (int i = 0; i < batch.size(); i++) {
      batch.terminated()[i] = random.nextDouble() < 0.01 ? 1f : 0f;
    }
  }

  private static void fillUniform(float[] a, Random random, double low, double high) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (low + (high - low) * random.nextDouble());
    }
  }
}
