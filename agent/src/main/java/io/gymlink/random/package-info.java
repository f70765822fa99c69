/**
 * The project's one random number generator, {@link io.gymlink.random.SplitMix64Random}: a seeded
 * {@link java.util.Random} whose whole state can be saved and restored, so that the training loop (warm-up actions,
 * exploration noise, replay sampling) and the learner (network initialisation, TD3's target policy noise) resume
 * bit-identically from a checkpoint. Every component takes its generator as an argument; nothing here is global.
 */
package io.gymlink.random;
