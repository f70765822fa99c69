/**
 * Vector environments: N sub-environments stepped together, with Gymnasium 1.x's batched results, SB3's
 * {@code VecEnv} terminal observations and EnvPool's asynchronous {@code send} / {@code recv}.
 *
 * <p>{@link io.gymlink.vector.VectorEnv} is the interface the training loop uses;
 * {@link io.gymlink.vector.SyncVectorEnv} steps a list of {@link io.gymlink.env.Env}s one after the other, in
 * this thread (Gymnasium's {@code SyncVectorEnv}), for in-memory environments and tests;
 * {@link io.gymlink.vector.RemoteVectorEnv} spreads them over many gRPC env servers (one batched request per server
 * per step, all servers at once) and survives losing servers. Addressing: {@link io.gymlink.vector.ServerTargets}
 * ({@code host:port} lists and {@code dns:///} names); the servers' health and retries: {@code ServerFleet} and
 * {@code ServerLink}; where each sub-environment lives: {@code Placement} (with {@code InstanceMaker}); the one
 * thread's events and the rule of giving up: {@code EventLoop}.
 */
package io.gymlink.vector;
