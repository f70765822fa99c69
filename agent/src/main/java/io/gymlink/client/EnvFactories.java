package io.gymlink.client;

import io.gymlink.env.InvalidArgumentException;

/**
 * Picks the transport for a server address: {@code host:port} or {@code grpc://host:port} is gRPC,
 * {@code http://host:port} the gym-http-api protocol.
 */
public final class EnvFactories {

  private EnvFactories() {}

  /**
   * An {@link EnvFactory} for the server at {@code address}.
   *
   * @param address {@code host:port}, {@code grpc://host:port} or {@code http://host:port}
   * @param config deadlines for every call
   * @throws InvalidArgumentException if the address is malformed or its transport is not available
   */
  public static EnvFactory forServer(String address, ClientConfig config) {
    return forServer(address, config, ClientSecurity.plaintext());
  }

  /**
   * An {@link EnvFactory} for the server at {@code address}, with TLS and a bearer token as {@code security} says.
   *
   * @throws InvalidArgumentException if the address is malformed, or TLS is asked of the gym-http-api transport
   *     (gymlink-envserver serves it without TLS; put a TLS proxy in front and use gRPC's TLS instead)
   */
  public static EnvFactory forServer(String address, ClientConfig config, ClientSecurity security) {
    EnvTarget target = EnvTarget.parse(address);
    switch (target.scheme()) {
      case "grpc":
        return GrpcEnvFactory.forTarget(target, config, security);
      case "http":
        if (security.tls()) {
          throw new InvalidArgumentException("env server address '" + address + "' is plain HTTP, but TLS was asked"
              + " for; the gym-http-api transport has no TLS: use the gRPC address with --tls");
        }
        return HttpEnvFactory.forTarget(target, config, security.token());
      default:
        throw new InvalidArgumentException("env server address '" + address + "' uses " + target.scheme()
            + "://, which this build does not support; use host:port or grpc://host:port");
    }
  }
}
