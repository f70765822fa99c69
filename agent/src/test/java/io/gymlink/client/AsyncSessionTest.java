package io.gymlink.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.EnvSpec;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.MakeResponse;
import io.gymlink.proto.v1.ResetResponse;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pipelined session against an in-process fake: answers matched in order, deadlines, many senders. */
class AsyncSessionTest {

  private Server server;
  private ManagedChannel channel;

  /** A fake that answers each reset with an empty observation, except those {@code silent} accepts. */
  private AsyncSession sessionAnswering(Predicate<SessionRequest> silent) throws Exception {
    return sessionAnswering(silent, request -> false);
  }

  /**
   * A fake as above that also answers make (a Box env) and ends the stream after answering a request that
   * {@code endAfter} accepts, as a server closing an idle session does.
   */
  private AsyncSession sessionAnswering(Predicate<SessionRequest> silent, Predicate<SessionRequest> endAfter)
      throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(new EnvServiceGrpc.EnvServiceImplBase() {
      @Override
      public StreamObserver<SessionRequest> session(StreamObserver<SessionResponse> answers) {
        return new StreamObserver<>() {
          @Override
          public void onNext(SessionRequest request) {
            SessionResponse.Builder answer = SessionResponse.newBuilder().setRequestId(request.getRequestId());
            if (request.hasMake()) {
              answer.setMake(MakeResponse.newBuilder().setInstanceId("i-1")
                  .setObservationSpace(ProtoCodec.encodeSpace(BoxSpace.of(1, -1, 1)))
                  .setActionSpace(ProtoCodec.encodeSpace(BoxSpace.of(1, -1, 1))));
            } else {
              answer.setReset(ResetResponse.getDefaultInstance());
            }
            if (!silent.test(request)) {
              answers.onNext(answer.build());
            }
            if (endAfter.test(request)) {
              answers.onCompleted();
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            answers.onCompleted();
          }
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    return AsyncSession.open(channel, "fake:1", ClientConfig.defaults().withCallTimeout(Duration.ofMillis(200)));
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static RemoteInstance instance(String id) {
    return new RemoteInstance("fake:1", "Fake-v0", id, BoxSpace.of(1, -1, 1), BoxSpace.of(1, -1, 1),
        new EnvSpec("Fake-v0", null, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, List.of(), null));
  }

  @Test
  void manyThreadsSending_everyAnswerReachesItsOwnRequest() throws Exception {
    AsyncSession session = sessionAnswering(request -> false);
    List<Thread> senders = new ArrayList<>();
    List<CompletableFuture<SessionResponse>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          answers.add(session.reset(instance("i" + i), (long) i));
        }
      });
      senders.add(sender);
      sender.start();
    }
    for (Thread sender : senders) {
      sender.join();
    }
    for (CompletableFuture<SessionResponse> answer : answers) {
      assertTrue(answer.get(5, TimeUnit.SECONDS).hasReset());
    }
    assertEquals(2000, answers.size());
  }

  @Test
  void serverEndsTheStream_holdingNothing_theNextRequestOpensANewOne_holdingAnInstance_itFails() throws Exception {
    AsyncSession session = sessionAnswering(request -> false, request -> request.getReset().getSeed() == 7);
    assertTrue(session.reset(instance("a"), 7L).get(5, TimeUnit.SECONDS).hasReset());
    Thread.sleep(100);
    assertTrue(session.isUsable(), "nothing was lost with the stream");
    assertTrue(session.reset(instance("a"), 1L).get(5, TimeUnit.SECONDS).hasReset(), "answered on a new stream");

    RemoteInstance made = session.make("Fake-v0", java.util.Map.of(), null).get(5, TimeUnit.SECONDS);
    assertTrue(session.reset(made, 7L).get(5, TimeUnit.SECONDS).hasReset());
    Thread.sleep(100);
    assertTrue(!session.isUsable(), "the stream ended with an instance on it");
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> session.reset(made, 2L).get(5, TimeUnit.SECONDS));
    assertInstanceOf(EnvServerUnavailableException.class, e.getCause());
  }

  @Test
  void oldestRequestOverdue_expireFailsEveryWaitingRequestAndCancelsTheStream() throws Exception {
    AsyncSession session = sessionAnswering(request -> true);
    CompletableFuture<SessionResponse> first = session.reset(instance("a"), 1L);
    CompletableFuture<SessionResponse> second = session.reset(instance("b"), 2L);
    long deadline = session.expireOverdue(System.nanoTime());
    assertTrue(deadline != Long.MAX_VALUE && !first.isDone());
    Thread.sleep(250);
    session.expireOverdue(System.nanoTime());
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, first::get);
    assertInstanceOf(EnvServerUnavailableException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("did not answer reset on 'Fake-v0' (instance a) within 0.2 s"),
        e.getCause().getMessage());
    assertInstanceOf(EnvServerUnavailableException.class,
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, second::get).getCause());
    assertTrue(!session.isUsable());
  }
}
