package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.proto.v1.CloseRequest;
import io.gymlink.proto.v1.CloseResponse;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the lockstep session reacts to a misbehaving server (an in-process fake: what the Python server never does). */
class LockstepSessionTest {

  private Server server;
  private ManagedChannel channel;

  /** Starts a fake whose answer to each request is decided by {@code behaviour}. */
  private LockstepSession sessionWith(BiConsumer<SessionRequest, StreamObserver<SessionResponse>> behaviour)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new EnvServiceGrpc.EnvServiceImplBase() {
      @Override
      public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> answers) {
        return new StreamObserver<>() {
          @Override
          public void onNext(SessionRequest request) {
            behaviour.accept(request, answers);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return new LockstepSession(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static SessionRequest.Builder close() {
    return SessionRequest.newBuilder().setClose(CloseRequest.newBuilder().setInstanceId("i-1"));
  }

  private static CallContext context(Duration timeout) {
    return new CallContext("fake:1", "close", "Fake-v0", "i-1", timeout);
  }

  @Test
  void call_answered_returnsTheAnswer() throws Exception {
    LockstepSession session = sessionWith((request, answers) -> answers.onNext(SessionResponse.newBuilder()
        .setRequestId(request.getRequestId()).setClose(CloseResponse.getDefaultInstance()).build()));
    assertTrue(session.call(close(), context(Duration.ofSeconds(5))).hasClose());
    assertTrue(session.call(close(), context(Duration.ofSeconds(5))).hasClose());
  }

  @Test
  void call_noAnswer_timesOutAndBreaksTheSession() throws Exception {
    LockstepSession session = sessionWith((request, answers) -> { });
    EnvServerUnavailableException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
        assertThrows(EnvServerUnavailableException.class, () -> session.call(close(), context(Duration.ofMillis(200)))));
    assertEquals("env server at fake:1 did not answer close on 'Fake-v0' (instance i-1) within 0.2 s"
        + " (DEADLINE_EXCEEDED); raise the deadline (ClientConfig) if the environment is slow", e.getMessage());
    assertFalse(session.isUsable());
    EnvServerUnavailableException again = assertThrows(EnvServerUnavailableException.class,
        () -> session.call(close(), context(Duration.ofSeconds(5))));
    assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
    session.close();
  }

  @Test
  void call_answerForAnotherRequest_throwsOutOfStep() throws Exception {
    LockstepSession session = sessionWith((request, answers) -> answers.onNext(SessionResponse.newBuilder()
        .setRequestId(request.getRequestId() + 7).setClose(CloseResponse.getDefaultInstance()).build()));
    EnvServerException e = assertThrows(EnvServerException.class,
        () -> session.call(close(), context(Duration.ofSeconds(5))));
    assertTrue(e.getMessage().contains("out of step"), e.getMessage());
  }

  @Test
  void call_emptyAnswer_throwsOutOfStepNotAStreamEnd() throws Exception {
    LockstepSession session = sessionWith((request, answers) ->
        answers.onNext(SessionResponse.getDefaultInstance()));
    EnvServerException e = assertThrows(EnvServerException.class,
        () -> session.call(close(), context(Duration.ofSeconds(5))));
    assertTrue(e.getMessage().contains("answered request 0 while close"), e.getMessage());
  }

  @Test
  void call_serverEndsTheStream_throwsUnavailable() throws Exception {
    LockstepSession session = sessionWith((request, answers) -> answers.onCompleted());
    EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
        () -> session.call(close(), context(Duration.ofSeconds(5))));
    assertTrue(e.getMessage().startsWith("cannot reach env server at fake:1 (UNAVAILABLE)"), e.getMessage());
    assertTrue(e.getMessage().contains("the server ended the session"), e.getMessage());
  }

  @Test
  void call_streamFailsWithInternal_throwsEnvServerException() throws Exception {
    LockstepSession session = sessionWith((request, answers) ->
        answers.onError(Status.INTERNAL.withDescription("fake failure").asRuntimeException()));
    EnvServerException e = assertThrows(EnvServerException.class,
        () -> session.call(close(), context(Duration.ofSeconds(5))));
    assertEquals("fake failure", e.getMessage());
  }
}
