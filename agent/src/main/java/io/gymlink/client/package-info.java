/**
 * Transports that reach a remote environment server and present it as an {@link io.gymlink.env.Env}.
 *
 * <p>{@link io.gymlink.client.GrpcEnv} speaks {@code gymlink.v1} over one lockstep session stream per environment;
 * {@link io.gymlink.client.UnaryGrpcEnv} uses one unary RPC per call (kept for the transport benchmark).
 * {@link io.gymlink.client.ProtoCodec} converts between protocol messages and the Java space types,
 * {@link io.gymlink.client.GrpcErrors} maps gRPC failures onto the {@link io.gymlink.env.EnvException} tree, and
 * {@link io.gymlink.client.EnvFactories} turns a server address into an {@link io.gymlink.client.EnvFactory}.
 */
package io.gymlink.client;
