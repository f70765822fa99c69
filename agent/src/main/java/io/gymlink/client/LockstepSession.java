package io.gymlink.client;

import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@code EnvService.Session} stream used in lockstep: send a request, wait for its answer (at most the call's
 * deadline), repeat.
 *
 * <p>The stream itself has no deadline because it lives as long as the environment; each request has one instead.
 * When a request times out, the stream is cancelled (the server then closes the session's instances) and the
 * session is unusable. Not thread-safe: one thread drives one session.
 */
final class LockstepSession {

  /**
   * Put on the queue when the stream ends, so that a waiting call wakes up at once. Its own instance (compared by
   * identity): gRPC hands an empty answer over as the default instance.
   */
  private static final SessionResponse STREAM_ENDED = SessionResponse.newBuilder().setRequestId(-1L).build();

  private final BlockingQueue<SessionResponse> answers = new LinkedBlockingQueue<>();
  private final ClientCallStreamObserver<SessionRequest> requests;
  private volatile Status streamFailure;
  private EnvException brokenBy;
  private long nextRequestId = 1;
  private boolean halfClosed;

  LockstepSession(Channel channel) {
    Receiver receiver = new Receiver();
    // Callbacks only enqueue, so they may run on the transport thread; this saves a thread hand-off per step.
    EnvServiceGrpc.newStub(channel).withExecutor(Runnable::run).session(receiver);
    this.requests = receiver.requests;
  }

  /**
   * Sends one request and waits for its answer.
   *
   * @return the answer; a {@code SessionError} answer is turned into an exception here
   * @throws EnvException for a session error, a failed stream or a missed deadline
   */
  SessionResponse call(SessionRequest.Builder request, CallContext context) {
    if (brokenBy != null) {
      String message = "cannot " + context.describe() + ": the session with env server at " + context.target()
          + " failed earlier (" + brokenBy.getMessage() + "); make the environment again";
      throw brokenBy instanceof EnvServerUnavailableException
          ? new EnvServerUnavailableException(message, brokenBy)
          : new EnvServerException(message, brokenBy);
    }
    if (streamFailure != null || halfClosed) {
      throw fail(streamFailure == null ? Status.CANCELLED.withDescription("session closed") : streamFailure,
          context);
    }
    long id = nextRequestId++;
    SessionResponse answer;
    try {
      requests.onNext(request.setRequestId(id).build());
      answer = answers.poll(context.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      requests.cancel("interrupted", e);
      throw broken(new EnvServerException("interrupted while waiting for " + context.describe() + " on env server "
          + context.target(), e));
    } catch (RuntimeException e) {
      // Sending on a stream that the transport already closed; the failure itself arrives through onError.
      throw fail(streamFailure != null ? streamFailure : Status.UNAVAILABLE.withCause(e), context);
    }
    if (answer == null) {
      requests.cancel("deadline of " + context.operation() + " passed", null);
      throw broken(GrpcErrors.deadlineExceeded(context, null));
    }
    if (answer == STREAM_ENDED) {
      throw fail(streamFailure, context);
    }
    if (answer.getRequestId() != id) {
      requests.cancel("answer out of order", null);
      throw broken(new EnvServerException("env server at " + context.target() + " answered request "
          + answer.getRequestId() + " while " + context.describe() + " (request " + id
          + ") was waiting; the session is out of step"));
    }
    if (answer.getResultCase() == SessionResponse.ResultCase.ERROR) {
      throw GrpcErrors.fromSessionError(answer.getError(), context);
    }
    return answer;
  }

  /** Whether the stream has failed, timed out or been closed; calls then throw at once. */
  boolean isUsable() {
    return brokenBy == null && streamFailure == null && !halfClosed;
  }

  /** Ends the stream from this side (the server then closes every instance of the session). Idempotent. */
  void close() {
    if (halfClosed) {
      return;
    }
    halfClosed = true;
    try {
      if (streamFailure == null && brokenBy == null) {
        requests.onCompleted();
      }
    } catch (RuntimeException e) {
      requests.cancel("closing", e);
    }
  }

  private EnvException fail(Status status, CallContext context) {
    return broken(GrpcErrors.fromStatus(status, context));
  }

  private EnvException broken(EnvException e) {
    brokenBy = e;
    return e;
  }

  /** Receives answers on the transport thread and hands them to the waiting caller. */
  private final class Receiver implements ClientResponseObserver<SessionRequest, SessionResponse> {
    private ClientCallStreamObserver<SessionRequest> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<SessionRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(SessionResponse value) {
      answers.add(value);
    }

    @Override
    public void onError(Throwable t) {
      streamFailure = Status.fromThrowable(t);
      answers.add(STREAM_ENDED);
    }

    @Override
    public void onCompleted() {
      streamFailure = Status.UNAVAILABLE.withDescription("the server ended the session");
      answers.add(STREAM_ENDED);
    }
  }
}
