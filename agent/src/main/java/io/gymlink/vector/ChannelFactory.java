package io.gymlink.vector;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

/** Opens the channel to one env server (plaintext, or with the credentials the CLI wires in). */
@FunctionalInterface
public interface ChannelFactory {

  /** A channel to {@code endpoint}; the vector env owns it and shuts it down. */
  ManagedChannel open(Endpoint endpoint);

  /** Plaintext HTTP/2, as {@link io.gymlink.client.GrpcEnvFactory#forTarget} uses. */
  static ChannelFactory plaintext() {
    return endpoint -> NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
        .usePlaintext()
        // Observations and info stay well below this; it bounds what a confused server can make us allocate.
        .maxInboundMessageSize(64 << 20)
        .build();
  }
}
