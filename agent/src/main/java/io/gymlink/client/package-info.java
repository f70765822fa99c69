/**
 * Transports that reach a remote environment server and present it as an {@link io.gymlink.env.Env}.
 *
 * <p>{@link io.gymlink.client.GrpcEnv} speaks {@code gymlink.v1} over one lockstep session stream per environment;
 * {@link io.gymlink.client.UnaryGrpcEnv} uses one unary RPC per call (kept for the transport benchmark);
 * {@link io.gymlink.client.AsyncSession} pipelines requests (make, reset, step_batch, close) on one session stream
 * and answers with futures, for the vector env that keeps several servers busy from one thread.
 * {@link io.gymlink.client.ProtoCodec} converts between protocol messages and the Java space types,
 * {@link io.gymlink.client.GrpcErrors} maps gRPC failures onto the {@link io.gymlink.env.EnvException} tree, and
 * {@link io.gymlink.client.EnvFactories} turns a server address into an {@link io.gymlink.client.EnvFactory}.
 *
 * <p>{@link io.gymlink.client.HttpGymEnv} speaks the gym-http-api protocol (JSON over HTTP/1.1, one keep-alive
 * client per {@link io.gymlink.client.HttpEnvFactory}) to gymlink's server or any other gym-http-api server;
 * {@link io.gymlink.client.JsonSpaceCodec} converts its JSON through the space schema and
 * {@link io.gymlink.client.HttpErrors} maps its error answers onto the same exception tree.
 */
package io.gymlink.client;
