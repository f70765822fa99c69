/**
 * The training loop and everything around it: {@link io.gymlink.train.Trainer} (collect, store, update, evaluate,
 * checkpoint, log), its config ({@link io.gymlink.train.TrainConfig}, {@link io.gymlink.train.RunConfig},
 * rl-zoo style presets via {@link io.gymlink.train.ConfigResolver}), observation normalisation, deterministic
 * evaluation, checkpoints ({@link io.gymlink.train.CheckpointStore}), metrics CSV files, the learning-curve plot,
 * progress display.
 *
 * <p>The learner itself ({@link io.gymlink.td3.Td3}) lives in {@code io.gymlink.td3}; the replay buffer in
 * {@code io.gymlink.buffer}; exploration noise in {@code io.gymlink.noise}.
 */
package io.gymlink.train;
