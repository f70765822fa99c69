/**
 * Vector environments: N sub-environments stepped together, with Gymnasium 1.x's batched results, SB3's
 * {@code VecEnv} terminal observations and EnvPool's asynchronous {@code send} / {@code recv}.
 *
 * <p>{@link io.gymlink.vector.VectorEnv} is the interface the training loop uses;
 * {@link io.gymlink.vector.SyncVectorEnv} steps a list of {@link io.gymlink.env.Env}s one after the other, in
 * this thread (Gymnasium's {@code SyncVectorEnv}), for in-memory environments and tests.
 */
package io.gymlink.vector;
