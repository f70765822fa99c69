package io.gymlink.bench;

import io.gymlink.client.ProtoCodec;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.proto.v1.CloseResponse;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.EnvSpec;
import io.gymlink.proto.v1.MakeResponse;
import io.gymlink.proto.v1.ResetResponse;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.gymlink.proto.v1.StepResponse;
import io.gymlink.proto.v1.Value;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A Java gRPC server whose session answers every request at once with a fixed Pendulum-shaped answer: the transport
 * cost of the session stream without Python or an environment (a diagnostic row of the transport benchmark).
 */
final class EchoSessionServer implements AutoCloseable {

  private static final BoxSpace OBSERVATION_SPACE = BoxSpace.of(3, -8, 8);
  private static final BoxSpace ACTION_SPACE = BoxSpace.of(1, -2, 2);

  private final Server server;

  private EchoSessionServer(Server server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port. */
  static EchoSessionServer start() throws IOException {
    Value observation = ProtoCodec.encodeValue(OBSERVATION_SPACE, BoxValue.of(0.1f, 0.2f, 0.3f));
    EnvServiceGrpc.EnvServiceImplBase service = new EnvServiceGrpc.EnvServiceImplBase() {
      @Override
      public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> answers) {
        return new StreamObserver<>() {
          @Override
          public void onNext(SessionRequest request) {
            answers.onNext(answer(request, observation));
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            answers.onCompleted();
          }
        };
      }
    };
    // Answers are computed inline on the transport thread: nothing here blocks.
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
        .addService(service).build().start();
    return new EchoSessionServer(server);
  }

  /** {@code 127.0.0.1:PORT}. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  private static SessionResponse answer(SessionRequest request, Value observation) {
    SessionResponse.Builder answer = SessionResponse.newBuilder().setRequestId(request.getRequestId());
    switch (request.getOpCase()) {
      case MAKE -> answer.setMake(MakeResponse.newBuilder().setInstanceId("echo")
          .setObservationSpace(ProtoCodec.encodeSpace(OBSERVATION_SPACE))
          .setActionSpace(ProtoCodec.encodeSpace(ACTION_SPACE))
          .setSpec(EnvSpec.newBuilder().setEnvId(request.getMake().getEnvId()).setMaxEpisodeSteps(200)));
      case RESET -> answer.setReset(ResetResponse.newBuilder().setObservation(observation));
      case STEP -> answer.setStep(StepResponse.newBuilder().setObservation(observation).setReward(-1.0));
      default -> answer.setClose(CloseResponse.getDefaultInstance());
    }
    return answer.build();
  }
}
