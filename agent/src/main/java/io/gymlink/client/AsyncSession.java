package io.gymlink.client;

import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.proto.v1.CloseRequest;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.MakeRequest;
import io.gymlink.proto.v1.ResetRequest;
import io.gymlink.proto.v1.SessionRequest;
import io.gymlink.proto.v1.SessionResponse;
import io.gymlink.proto.v1.StepBatchRequest;
import io.gymlink.proto.v1.StepBatchResponse;
import io.gymlink.proto.v1.StepRequest;
import io.gymlink.proto.v1.Value;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code EnvService.Session} stream with requests pipelined: each call sends at once and returns a future of
 * its answer, so that a client can keep requests to several servers in flight from one thread.
 *
 * <p>The server answers a session's requests in order, so answers are matched to the oldest waiting request. Every
 * request has a deadline, enforced by {@link #expireOverdue}, which the owner calls whenever it waits: when the
 * oldest request is overdue, the stream is cancelled (the server then closes the session's instances) and every
 * waiting future fails with {@link io.gymlink.env.EnvServerUnavailableException}; so do they when the stream fails.
 *
 * <p>The stream opens with the first request. A server may close a session that holds nothing for a while (its
 * empty-session timeout); when the stream ended while this session held no instance and waited for nothing, the next
 * request opens a fresh one, since nothing was lost. Futures complete on the transport thread: keep their callbacks
 * short. Sending is serialised, so the order of requests on the stream is the order of the calls.
 */
public final class AsyncSession {

  private final Channel channel;
  private final String target;
  private final ClientConfig config;
  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  /** Instances made here and not closed: while there are any, a lost stream loses them. */
  private final AtomicInteger held = new AtomicInteger();
  private Stream stream;
  private long nextRequestId = 1;
  private boolean ended;

  private record Waiting(long requestId, CallContext context, long deadlineNanos,
      CompletableFuture<SessionResponse> answer) {}

  private AsyncSession(Channel channel, String target, ClientConfig config) {
    this.channel = channel;
    this.target = target;
    this.config = config;
  }

  /**
   * A session on {@code channel}; its stream opens with the first request.
   *
   * @param target the server address for messages, e.g. {@code 127.0.0.1:50051}
   * @param config deadlines: make requests get {@code makeTimeout}, the others {@code callTimeout}
   */
  public static AsyncSession open(Channel channel, String target, ClientConfig config) {
    return new AsyncSession(channel, target, config);
  }

  /** Makes an environment owned by this session. */
  public CompletableFuture<RemoteInstance> make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps) {
    return make(envId, kwargs, maxEpisodeSteps, 1);
  }

  /** Makes an environment owned by this session that repeats each action {@code actionRepeat} times. */
  public CompletableFuture<RemoteInstance> make(String envId, Map<String, Object> kwargs, Integer maxEpisodeSteps,
      int actionRepeat) {
    MakeRequest make = RemoteInstance.makeRequest(envId, kwargs, maxEpisodeSteps, actionRepeat);
    SessionRequest.Builder request = SessionRequest.newBuilder().setMake(make);
    return call(request, new CallContext(target, "make", envId, null, config.makeTimeout()))
        .thenApply(answer -> {
          held.incrementAndGet();
          return RemoteInstance.of(target, make, answer.getMake());
        });
  }

  /** Starts a new episode; {@code seed} null keeps the instance's RNG. Completes with the first observation. */
  public CompletableFuture<SessionResponse> reset(RemoteInstance instance, Long seed) {
    ResetRequest.Builder reset = ResetRequest.newBuilder().setInstanceId(instance.instanceId());
    if (seed != null) {
      reset.setSeed(seed);
    }
    return call(SessionRequest.newBuilder().setReset(reset), instance.context("reset", config.callTimeout()));
  }

  /**
   * Steps several instances of this session in one request.
   *
   * @param instances the instances, distinct
   * @param actions one encoded action per instance (already checked against its action space)
   * @param autoreset reset ended episodes in the same call ({@code StepResponse.reset_observation})
   * @param isolateFailures an environment that raises fails only its own result ({@code StepResponse.error})
   */
  public CompletableFuture<StepBatchResponse> stepBatch(List<RemoteInstance> instances, List<Value> actions,
      boolean autoreset, boolean isolateFailures) {
    StepBatchRequest.Builder batch =
        StepBatchRequest.newBuilder().setAutoreset(autoreset).setIsolateFailures(isolateFailures);
    for (int k = 0; k < instances.size(); k++) {
      batch.addSteps(StepRequest.newBuilder().setInstanceId(instances.get(k).instanceId()).setAction(actions.get(k)));
    }
    String envId = instances.isEmpty() ? null : instances.get(0).envId();
    CallContext context = new CallContext(target, "step_batch", envId, null, config.callTimeout());
    return call(SessionRequest.newBuilder().setStepBatch(batch), context).thenApply(SessionResponse::getStepBatch);
  }

  /** Closes an instance without waiting for the answer (the session's end would close it too). */
  public void close(RemoteInstance instance) {
    held.decrementAndGet();
    call(SessionRequest.newBuilder().setClose(CloseRequest.newBuilder().setInstanceId(instance.instanceId())),
        instance.context("close", config.callTimeout()));
  }

  /**
   * Fails the waiting requests and cancels the stream if the oldest request is past its deadline.
   *
   * @return the earliest deadline still pending ({@link System#nanoTime} scale), or {@link Long#MAX_VALUE}
   */
  public synchronized long expireOverdue(long nowNanos) {
    Waiting oldest = waiting.peek();
    while (oldest != null && oldest.answer().isDone()) {
      waiting.remove(oldest);
      oldest = waiting.peek();
    }
    if (oldest == null) {
      return Long.MAX_VALUE;
    }
    if (nowNanos - oldest.deadlineNanos() < 0) {
      return oldest.deadlineNanos();
    }
    oldest.answer().completeExceptionally(GrpcErrors.deadlineExceeded(oldest.context(), null));
    // A server that misses a deadline is not trusted with this session again.
    ended = true;
    stream.requests.cancel("deadline of " + oldest.context().operation() + " passed", null);
    failAll(Status.DEADLINE_EXCEEDED.withDescription("an earlier request on the session missed its deadline"));
    return Long.MAX_VALUE;
  }

  /** Whether requests can still succeed: not cancelled or ended, and the stream not lost with instances on it. */
  public synchronized boolean isUsable() {
    return !ended && (stream == null || stream.failure == null || reopenable());
  }

  /** The server address. */
  public String target() {
    return target;
  }

  /** Ends the stream from this side (the server then closes the session's instances). Idempotent. */
  public synchronized void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (stream != null) {
      try {
        if (stream.failure == null) {
          stream.requests.onCompleted();
        }
      } catch (RuntimeException e) {
        stream.requests.cancel("closing", e);
      }
    }
    failAll(Status.CANCELLED.withDescription("the session was ended by this client"));
  }

  /** Cancels the stream at once, failing every waiting request. Idempotent. */
  public synchronized void cancel(String why) {
    ended = true;
    if (stream != null) {
      stream.requests.cancel(why, null);
    }
    failAll(Status.CANCELLED.withDescription(why));
  }

  private synchronized CompletableFuture<SessionResponse> call(SessionRequest.Builder request, CallContext context) {
    CompletableFuture<SessionResponse> answer = new CompletableFuture<>();
    if (stream == null || reopenable()) {
      stream = new Stream();
    }
    Status failure = stream.failure;
    if (failure != null || ended) {
      answer.completeExceptionally(GrpcErrors.fromStatus(failure != null ? failure
          : Status.CANCELLED.withDescription("the session was ended by this client"), context));
      return answer;
    }
    // Ids, the waiting queue and the stream see requests in the same order, whichever thread sends.
    long id = nextRequestId++;
    waiting.add(new Waiting(id, context, System.nanoTime() + context.timeout().toNanos(), answer));
    try {
      stream.requests.onNext(request.setRequestId(id).build());
    } catch (RuntimeException e) {
      // Sending on a stream the transport already closed; the failure itself arrives through onError.
      failAll(stream.failure != null ? stream.failure : Status.UNAVAILABLE.withCause(e));
    }
    return answer;
  }

  /** Whether the stream ended while it held no instance and nothing waited: a new one loses nothing. */
  private boolean reopenable() {
    return !ended && stream != null && stream.failure != null && held.get() <= 0 && waiting.isEmpty();
  }

  private void failAll(Status status) {
    for (Waiting w = waiting.poll(); w != null; w = waiting.poll()) {
      w.answer().completeExceptionally(GrpcErrors.fromStatus(status, w.context()));
    }
  }

  private synchronized void streamEnded(Stream ended, Status status) {
    ended.failure = status;
    if (ended == stream) {
      failAll(status);
    }
  }

  private void answer(SessionResponse response) {
    Waiting w = waiting.poll();
    while (w != null && w.answer().isDone()) {
      w = waiting.poll();
    }
    if (w == null || w.requestId() != response.getRequestId()) {
      EnvException outOfStep = new EnvServerException("env server at " + target + " answered request "
          + response.getRequestId() + (w == null ? " that nobody waits for" : " while " + w.context().describe()
          + " (request " + w.requestId() + ") was waiting") + "; the session is out of step");
      if (w != null) {
        w.answer().completeExceptionally(outOfStep);
      }
      synchronized (this) {
        stream.requests.cancel("answer out of order", null);
        failAll(Status.INTERNAL.withDescription(outOfStep.getMessage()));
      }
      return;
    }
    if (response.getResultCase() == SessionResponse.ResultCase.ERROR) {
      w.answer().completeExceptionally(GrpcErrors.fromSessionError(response.getError(), w.context()));
    } else {
      w.answer().complete(response);
    }
  }

  /** One opened stream: its request side, and how it ended. Answers arrive on the transport thread. */
  private final class Stream implements ClientResponseObserver<SessionRequest, SessionResponse> {
    private ClientCallStreamObserver<SessionRequest> requests;
    private volatile Status failure;

    Stream() {
      // Callbacks only complete futures, so they may run on the transport thread.
      EnvServiceGrpc.newStub(channel).withExecutor(Runnable::run).session(this);
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SessionRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(SessionResponse value) {
      answer(value);
    }

    @Override
    public void onError(Throwable t) {
      streamEnded(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      streamEnded(this, Status.UNAVAILABLE.withDescription("the server ended the session"));
    }
  }

  @Override
  public String toString() {
    return "AsyncSession(" + target + ")";
  }
}
