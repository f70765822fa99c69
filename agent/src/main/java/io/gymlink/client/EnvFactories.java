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
    EnvTarget target = EnvTarget.parse(address);
    switch (target.scheme()) {
      case "grpc":
        return GrpcEnvFactory.forTarget(target, config);
      case "http":
        return HttpEnvFactory.forTarget(target, config);
      default:
        throw new InvalidArgumentException("env server address '" + address + "' uses " + target.scheme()
            + "://, which this build does not support; use host:port or grpc://host:port");
    }
  }
}
