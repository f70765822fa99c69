package io.gymlink.client;

import io.gymlink.env.InvalidArgumentException;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Builds the gRPC channels of the client from a target and a {@link ClientSecurity}: plaintext or TLS (trusting a
 * given CA, presenting a client certificate), with the bearer token attached to every call as call credentials.
 */
public final class GrpcChannels {

  /** Largest message accepted from a server: observations and info stay far below it. */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private GrpcChannels() {}

  /** A channel to {@code host:port}. */
  public static ManagedChannel forAddress(String host, int port, ClientSecurity security) {
    return configure(Grpc.newChannelBuilderForAddress(host, port, credentials(security))).build();
  }

  /** A channel to a gRPC target URI such as {@code dns:///envservers:50051} (name resolution, load balancing). */
  public static ManagedChannel forTarget(String target, ClientSecurity security) {
    return configure(Grpc.newChannelBuilder(target, credentials(security))).build();
  }

  /**
   * The channel credentials for {@code security}.
   *
   * @throws InvalidArgumentException naming a certificate or key file that cannot be read
   */
  public static ChannelCredentials credentials(ClientSecurity security) {
    ChannelCredentials transport = security.tls() ? tls(security) : InsecureChannelCredentials.create();
    if (security.token() == null) {
      return transport;
    }
    return CompositeChannelCredentials.create(transport, bearer(security.token()));
  }

  /** Call credentials that send {@code authorization: Bearer token} with every call. */
  public static CallCredentials bearer(String token) {
    String value = "Bearer " + token;
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, value);
        applier.apply(headers);
      }

      @Override
      public String toString() {
        return "BearerToken(***)";
      }
    };
  }

  private static ChannelCredentials tls(ClientSecurity security) {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (security.caCert() != null) {
        builder.trustManager(security.caCert().toFile());
      }
      if (security.clientCert() != null) {
        builder.keyManager(security.clientCert().toFile(), security.clientKey().toFile());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidArgumentException("cannot use the TLS files (CA " + security.caCert() + ", client certificate "
          + security.clientCert() + "): " + e.getMessage(), e);
    }
    return builder.build();
  }

  private static ManagedChannelBuilder<?> configure(ManagedChannelBuilder<?> builder) {
    return builder.maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES);
  }
}
