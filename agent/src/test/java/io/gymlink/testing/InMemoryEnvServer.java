package io.gymlink.testing;

import io.gymlink.client.ProtoCodec;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.proto.v1.CloseResponse;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.EnvSpec;
import io.gymlink.proto.v1.GetServerInfoRequest;
import io.gymlink.proto.v1.MakeResponse;
import io.gymlink.proto.v1.ResetResponse;
import io.gymlink.proto.v1.ServerInfo;
import io.gymlink.proto.v1.SessionError;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.gymlink.proto.v1.StepBatchRequest;
import io.gymlink.proto.v1.StepBatchResponse;
import io.gymlink.proto.v1.StepRequest;
import io.gymlink.proto.v1.StepResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.gymlink.vector.ChannelFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process gymlink.v1 server of {@link InMemoryEnv}s ({@code InMemory-v0}) for fast, hermetic tests of the
 * remote vector env: session streams with make, reset, step_batch (same-step autoreset, isolated failures) and
 * close, plus the faults a test needs — {@link #kill}, {@link #restart}, {@link #stall}, {@link #raiseInNextSteps} —
 * and a slow step: a batch holding the action {@value #SLOW_ACTION} is answered after {@link #SLOW_STEP_MILLIS} ms.
 *
 * <p>Its "address" is its in-process name, used as the host of {@code name:1}; {@link #channels()} opens channels
 * to such addresses.
 */
public final class InMemoryEnvServer implements AutoCloseable {

  /** The only environment id it makes. */
  public static final String ENV_ID = "InMemory-v0";

  /** An action that makes its batch slow. */
  public static final float SLOW_ACTION = 0.75f;

  /** How long a batch with {@link #SLOW_ACTION} takes. */
  public static final long SLOW_STEP_MILLIS = 500;

  private final String name;
  private final Map<String, InMemoryEnv> instances = new ConcurrentHashMap<>();
  private final AtomicInteger nextInstance = new AtomicInteger();
  private final AtomicLong steps = new AtomicLong();
  private final AtomicInteger raising = new AtomicInteger();
  private final AtomicInteger makes = new AtomicInteger();
  private volatile boolean stalled;
  private volatile int maxInstances = Integer.MAX_VALUE;
  private Server server;

  private InMemoryEnvServer(String name) {
    this.name = name;
  }

  /** Starts a server under {@code name}. */
  public static InMemoryEnvServer start(String name) {
    InMemoryEnvServer s = new InMemoryEnvServer(name);
    s.restart();
    return s;
  }

  /** Opens in-process channels to endpoints whose host is a server name. */
  public static ChannelFactory channels() {
    // Not directExecutor: answers arrive on other threads, as over a real network.
    return endpoint -> InProcessChannelBuilder.forName(endpoint.host()).build();
  }

  /** A channel to this server. */
  public ManagedChannel channel() {
    return InProcessChannelBuilder.forName(name).build();
  }

  /** {@code name:1}, the address of this server in a target list. */
  public String address() {
    return name + ":1";
  }

  /** Stops at once, as a crash would: every stream fails, every instance is gone. */
  public void kill() {
    server.shutdownNow();
    instances.clear();
  }

  /** (Re)starts under the same name, empty. */
  public void restart() {
    stalled = false;
    try {
      server = InProcessServerBuilder.forName(name).addService(new Service()).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on, answers nothing (requests wait until their deadline). */
  public void stall() {
    stalled = true;
  }

  /** The next {@code count} instance steps raise (the env "crashes"). */
  public void raiseInNextSteps(int count) {
    raising.set(count);
  }

  /** Refuses makes beyond {@code limit} live instances (RESOURCE_EXHAUSTED), like --max-instances. */
  public void limitInstances(int limit) {
    maxInstances = limit;
  }

  /** Live instances. */
  public int instances() {
    return instances.size();
  }

  /** Instance steps served so far. */
  public long steps() {
    return steps.get();
  }

  /** Instances made so far. */
  public int makes() {
    return makes.get();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private final class Service extends EnvServiceGrpc.EnvServiceImplBase {
    @Override
    public void getServerInfo(GetServerInfoRequest request, StreamObserver<ServerInfo> answer) {
      if (!stalled) {
        answer.onNext(ServerInfo.newBuilder().setProtocolVersion("gymlink.v1/1.0").build());
        answer.onCompleted();
      }
    }

    @Override
    public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> answers) {
      return new StreamObserver<>() {
        @Override
        public void onNext(SessionRequest request) {
          if (stalled) {
            return;
          }
          SessionResponse.Builder out = SessionResponse.newBuilder().setRequestId(request.getRequestId());
          try {
            switch (request.getOpCase()) {
              case MAKE -> {
                if (instances.size() >= maxInstances) {
                  out.setError(SessionError.newBuilder().setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                      .setMessage("cannot make '" + ENV_ID + "': the server holds " + instances.size()
                          + " instances, its limit is " + maxInstances));
                } else {
                  out.setMake(makeInstance(request.getMake().hasMaxEpisodeSteps()
                      ? request.getMake().getMaxEpisodeSteps() : 10));
                }
              }
              case RESET -> out.setReset(resetInstance(request.getReset().getInstanceId(),
                  request.getReset().hasSeed() ? request.getReset().getSeed() : null));
              case STEP_BATCH -> out.setStepBatch(stepInstances(request.getStepBatch()));
              case CLOSE -> {
                instances.remove(request.getClose().getInstanceId());
                out.setClose(CloseResponse.getDefaultInstance());
              }
              default -> throw Status.UNIMPLEMENTED.asRuntimeException();
            }
          } catch (IllegalStateException e) {
            out.setError(SessionError.newBuilder().setCode(Status.Code.NOT_FOUND.value()).setMessage(e.getMessage()));
          }
          answers.onNext(out.build());
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          answers.onCompleted();
        }
      };
    }
  }

  private MakeResponse makeInstance(int timeLimit) {
    String id = name + "-" + nextInstance.incrementAndGet();
    instances.put(id, new InMemoryEnv(timeLimit));
    makes.incrementAndGet();
    return MakeResponse.newBuilder().setInstanceId(id)
        .setObservationSpace(ProtoCodec.encodeSpace(InMemoryEnv.OBSERVATION_SPACE))
        .setActionSpace(ProtoCodec.encodeSpace(InMemoryEnv.ACTION_SPACE))
        .setSpec(EnvSpec.newBuilder().setEnvId(ENV_ID).setMaxEpisodeSteps(timeLimit)).build();
  }

  private InMemoryEnv instance(String id) {
    InMemoryEnv env = instances.get(id);
    if (env == null) {
      throw new IllegalStateException("instance '" + id + "' is not known to " + name);
    }
    return env;
  }

  private ResetResponse resetInstance(String id, Long seed) {
    BoxValue first = instance(id).reset(seed, Map.of()).observation().asBox();
    return ResetResponse.newBuilder()
        .setObservation(ProtoCodec.encodeValue(InMemoryEnv.OBSERVATION_SPACE, first)).build();
  }

  private StepBatchResponse stepInstances(StepBatchRequest request) {
    boolean slow = request.getStepsList().stream().anyMatch(step ->
        ProtoCodec.decodeValue(InMemoryEnv.ACTION_SPACE, step.getAction()).asBox().data()[0] == SLOW_ACTION);
    if (slow) {
      try {
        Thread.sleep(SLOW_STEP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    StepBatchResponse.Builder out = StepBatchResponse.newBuilder();
    for (StepRequest step : request.getStepsList()) {
      InMemoryEnv env = instance(step.getInstanceId());
      if (raising.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        out.addResults(StepResponse.newBuilder().setError(SessionError.newBuilder()
            .setCode(Status.Code.INTERNAL.value())
            .setMessage("environment '" + ENV_ID + "' (instance " + step.getInstanceId() + ") raised RuntimeError")));
        continue;
      }
      StepResult result = env.step(ProtoCodec.decodeValue(InMemoryEnv.ACTION_SPACE, step.getAction()));
      steps.incrementAndGet();
      StepResponse.Builder answer = StepResponse.newBuilder()
          .setObservation(ProtoCodec.encodeValue(InMemoryEnv.OBSERVATION_SPACE, result.observation()))
          .setReward(result.reward()).setTerminated(result.terminated()).setTruncated(result.truncated());
      if (request.getAutoreset() && result.episodeOver()) {
        answer.setResetObservation(ProtoCodec.encodeValue(InMemoryEnv.OBSERVATION_SPACE,
            env.reset(null, Map.of()).observation()));
      }
      out.addResults(answer);
    }
    return out.build();
  }
}
