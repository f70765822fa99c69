/**
 * The training loop and everything around it: {@link io.gymlink.train.Trainer} (collect, store, update on a
 * {@link io.gymlink.vector.VectorEnv}, synchronously or with the asynchronous {@code AsyncCollector} thread held to
 * the replay ratio by {@code ReplayRatioLimiter}), the run's state ({@code TrainingRun}, {@code ExperienceStore}),
 * its callbacks (evaluation, checkpoints, run files, log lines), its config ({@link io.gymlink.train.TrainConfig},
 * {@link io.gymlink.train.OffPolicyConfig}, {@link io.gymlink.train.RunConfig}, rl-zoo style presets via
 * {@link io.gymlink.train.ConfigResolver}), observation normalisation, deterministic evaluation, checkpoints
 * ({@link io.gymlink.train.CheckpointStore}), metrics CSV files, the learning-curve plots (one run's; mean ± std over several runs' evaluations in
 * {@link io.gymlink.train.ComparisonPlot}), progress display.
 *
 * <p>The learner itself ({@link io.gymlink.td3.Td3}) lives in {@code io.gymlink.td3}; the replay buffer in
 * {@code io.gymlink.buffer}; exploration noise in {@code io.gymlink.noise}; vector envs in {@code io.gymlink.vector};
 * the checkpointable RNG in {@code io.gymlink.random}.
 */
package io.gymlink.train;
