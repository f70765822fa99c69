package io.gymlink.client;

import io.gymlink.env.Env;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.ResetResult;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.Space;
import io.gymlink.env.spaces.SpaceValue;
import io.gymlink.proto.v1.CloseRequest;
import io.gymlink.proto.v1.EnvServiceGrpc.EnvServiceBlockingStub;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.MakeRequest;
import io.gymlink.proto.v1.ResetRequest;
import io.gymlink.proto.v1.StepRequest;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A remote Gymnasium environment reached with one unary RPC per call (Make, Reset, Step, Close).
 *
 * <p>Slower than {@link GrpcEnv}'s session stream (each call sets up an HTTP/2 stream and the server's per-call
 * machinery) and the instance outlives a crashed client until the server's idle timeout; kept for the transport
 * benchmark and for servers reached through proxies that do not pass streams. Not thread-safe.
 */
public final class UnaryGrpcEnv implements Env {

  private final EnvServiceBlockingStub stub;
  private final RemoteInstance instance;
  private final ClientConfig config;
  private boolean closed;

  private UnaryGrpcEnv(EnvServiceBlockingStub stub, RemoteInstance instance, ClientConfig config) {
    this.stub = stub;
    this.instance = instance;
    this.config = config;
  }

  /** Makes an environment with the unary Make RPC; arguments as in {@link GrpcEnv#make}. */
  public static UnaryGrpcEnv make(Channel channel, String target, MakeRequest request, ClientConfig config) {
    EnvServiceBlockingStub stub = EnvServiceGrpc.newBlockingStub(channel);
    CallContext context = new CallContext(target, "make", request.getEnvId(), null, config.makeTimeout());
    var answer = unary(stub, context, s -> s.make(request));
    return new UnaryGrpcEnv(stub, RemoteInstance.of(target, request, answer), config);
  }

  @Override
  public ResetResult reset(Long seed, Map<String, Object> options) {
    ResetRequest.Builder request = ResetRequest.newBuilder()
        .setInstanceId(instance.instanceId())
        .setOptions(RemoteInstance.json(options, instance.envId(), "reset options"));
    if (seed != null) {
      request.setSeed(seed);
    }
    return instance.decodeReset(call("reset", s -> s.reset(request.build())));
  }

  @Override
  public StepResult step(SpaceValue action) {
    StepRequest request =
        StepRequest.newBuilder().setInstanceId(instance.instanceId()).setAction(instance.encodeAction(action)).build();
    return instance.decodeStep(call("step", s -> s.step(request)));
  }

  @Override
  public Space observationSpace() {
    return instance.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return instance.actionSpace();
  }

  @Override
  public EnvSpec spec() {
    return instance.spec();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      call("close", s -> s.close(CloseRequest.newBuilder().setInstanceId(instance.instanceId()).build()));
    } catch (EnvException e) {
      // The server is gone or already forgot the instance: nothing is left to free.
    }
  }

  private <T> T call(String operation, Function<EnvServiceBlockingStub, T> rpc) {
    if (closed && !operation.equals("close")) {
      throw new EnvException(operation + " on '" + instance.envId() + "' (instance " + instance.instanceId()
          + "): the environment is closed");
    }
    return unary(stub, instance.context(operation, config.callTimeout()), rpc);
  }

  private static <T> T unary(EnvServiceBlockingStub stub, CallContext context,
      Function<EnvServiceBlockingStub, T> rpc) {
    Duration timeout = context.timeout();
    try {
      return rpc.apply(stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException e) {
      throw GrpcErrors.fromStatus(e.getStatus(), context);
    }
  }
}
