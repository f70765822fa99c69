package io.gymlink.client;

import io.gymlink.env.Env;
import io.gymlink.env.InvalidArgumentException;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.GetServerInfoRequest;
import io.gymlink.proto.v1.ListEnvironmentsRequest;
import io.gymlink.proto.v1.ServerInfo;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Makes {@link GrpcEnv}s on one gRPC env server; owns the channel (one HTTP/2 connection) they share.
 *
 * <p>Nothing is sent until the first call: {@link #make} fails fast with "cannot reach env server at host:port
 * (UNAVAILABLE) — is it running?" when no server listens there.
 */
public final class GrpcEnvFactory implements EnvFactory {

  private final ManagedChannel channel;
  private final String target;
  private final ClientConfig config;

  /** A factory on an existing channel, which it then owns and shuts down on {@link #close()}. */
  public GrpcEnvFactory(ManagedChannel channel, String target, ClientConfig config) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.target = Objects.requireNonNull(target, "target");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * A factory for the server at {@code host:port} or {@code grpc://host:port}, over plaintext HTTP/2.
   *
   * @throws InvalidArgumentException if the address is not one of those forms
   */
  public static GrpcEnvFactory forTarget(String address, ClientConfig config) {
    EnvTarget target = EnvTarget.parse(address);
    if (!target.scheme().equals("grpc")) {
      throw new InvalidArgumentException("env server address '" + address + "' is not a gRPC address; use host:port"
          + " or grpc://host:port");
    }
    return forTarget(target, config);
  }

  /** A factory for a parsed gRPC target, over plaintext HTTP/2 without a token. */
  public static GrpcEnvFactory forTarget(EnvTarget target, ClientConfig config) {
    return forTarget(target, config, ClientSecurity.plaintext());
  }

  /** A factory for a parsed gRPC target with TLS and a bearer token as {@code security} says. */
  public static GrpcEnvFactory forTarget(EnvTarget target, ClientConfig config, ClientSecurity security) {
    ManagedChannel channel = GrpcChannels.forAddress(target.host(), target.port(), security);
    return new GrpcEnvFactory(channel, target.authority(), config);
  }

  @Override
  public Env make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps, int actionRepeat) {
    return GrpcEnv.make(channel, target, RemoteInstance.makeRequest(envId, kwargs, maxEpisodeSteps, actionRepeat),
        config);
  }

  /** Makes an environment that uses one unary RPC per call instead of a session stream (for benchmarks). */
  public UnaryGrpcEnv makeUnary(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return UnaryGrpcEnv.make(channel, target, RemoteInstance.makeRequest(envId, kwargs, maxEpisodeSteps, 1), config);
  }

  /** The server's protocol and software versions. */
  public ServerInfo serverInfo() {
    CallContext context = new CallContext(target, "GetServerInfo", null, null, config.callTimeout());
    try {
      return EnvServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(config.callTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .getServerInfo(GetServerInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      throw GrpcErrors.fromStatus(e.getStatus(), context);
    }
  }

  /** The environment ids the server will make, sorted. */
  public List<String> listEnvironments() {
    CallContext context = new CallContext(target, "ListEnvironments", null, null, config.callTimeout());
    try {
      return EnvServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(config.callTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .listEnvironments(ListEnvironmentsRequest.getDefaultInstance())
          .getEnvironmentsList().stream().map(e -> e.getEnvId()).toList();
    } catch (StatusRuntimeException e) {
      throw GrpcErrors.fromStatus(e.getStatus(), context);
    }
  }

  @Override
  public String target() {
    return target;
  }

  /** The channel environments made here share (for tests that speak the protocol directly). */
  ManagedChannel channel() {
    return channel;
  }

  /** The deadlines environments made here use. */
  public ClientConfig config() {
    return config;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "GrpcEnvFactory(" + target + ")";
  }
}
