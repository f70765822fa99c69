package io.gymlink.vector;

import io.gymlink.client.ClientSecurity;
import io.gymlink.client.GrpcChannels;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** Opens the channel to one env server (plaintext, or with the command's TLS and token). */
@FunctionalInterface
public interface ChannelFactory {

  /** A channel to {@code endpoint}; the vector env owns it and shuts it down. */
  ManagedChannel open(Endpoint endpoint);

  /** Plaintext HTTP/2, for servers on loopback or a trusted network. */
  static ChannelFactory plaintext() {
    return secured(ClientSecurity.plaintext());
  }

  /**
   * Channels with TLS and a bearer token as {@code security} says. An endpoint found by resolving a name is reached
   * by its address but presents the name (the HTTP/2 authority), so that a certificate made for the name, e.g.
   * {@code envserver} behind {@code dns:///envserver:50051}, verifies.
   */
  static ChannelFactory secured(ClientSecurity security) {
    return endpoint -> {
      ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(),
          GrpcChannels.credentials(security)).maxInboundMessageSize(GrpcChannels.MAX_INBOUND_MESSAGE_BYTES);
      if (!endpoint.name().equals(endpoint.host())) {
        builder.overrideAuthority(new Endpoint(endpoint.name(), endpoint.port(), endpoint.source()).authority());
      }
      return builder.build();
    };
  }
}
