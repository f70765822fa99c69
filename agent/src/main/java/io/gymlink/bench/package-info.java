/**
 * Benchmarks that print tables (never timed unit tests): {@link io.gymlink.bench.TransportBenchmark} measures the
 * per-step cost of each transport to the env server; {@link io.gymlink.bench.LearningBenchmark} trains on several
 * seeds and, with {@code --sb3}, side by side with Stable-Baselines3 ({@link io.gymlink.bench.Sb3Process},
 * {@link io.gymlink.bench.SideBySideTable}, {@link io.gymlink.train.ComparisonPlot});
 * {@link io.gymlink.bench.TrainLoopBenchmark} the training loop's transitions/s with N envs, synchronous and
 * asynchronous.
 */
package io.gymlink.bench;
