package io.gymlink.vector;

import io.gymlink.client.AsyncSession;
import io.gymlink.client.ClientConfig;
import io.gymlink.proto.v1.EnvServiceGrpc;
import io.gymlink.proto.v1.GetServerInfoRequest;
import io.gymlink.proto.v1.ServerInfo;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One env server of a {@link RemoteVectorEnv}: its channel, its session stream (which carries every request for the
 * sub-environments placed on it; several with {@link RemoteVectorConfig#streamsPerServer}), and whether it is up,
 * with the exponential backoff of its retries.
 *
 * <p>Only the vector env's thread calls it.
 */
final class ServerLink {

  /** Whether the server takes requests. */
  enum State { LIVE, DOWN }

  /** Deadline of a probe; probes only ask for the server's info. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  final Endpoint endpoint;
  private final ManagedChannel channel;
  private final ClientConfig client;
  private final Duration retryInitial;
  private final Duration retryMax;
  private final int streams;
  private List<AsyncSession> sessions = List.of();
  private State state = State.DOWN;
  private boolean retired;
  private boolean probing;
  private boolean everLive;
  private long downSinceNanos;
  private long nextRetryNanos;
  private Duration backoff;
  private String lastError = "not contacted yet";
  private int capacity = Integer.MAX_VALUE;

  ServerLink(Endpoint endpoint, ManagedChannel channel, ClientConfig client, Duration retryInitial,
      Duration retryMax, int streams, long nowNanos) {
    this.endpoint = endpoint;
    this.channel = channel;
    this.client = client;
    this.retryInitial = retryInitial;
    this.retryMax = retryMax;
    this.streams = streams;
    this.backoff = retryInitial;
    this.downSinceNanos = nowNanos;
    this.nextRetryNanos = nowNanos;
  }

  State state() {
    return state;
  }

  /** Whether new sub-environments may be placed here: live and still named by the targets. */
  boolean usable() {
    return state == State.LIVE && !retired;
  }

  /** The session streams of the current live period (one unless configured otherwise). */
  List<AsyncSession> sessions() {
    return sessions;
  }

  /** Whether {@code session} is one of the current live period's (an older one's failure is old news). */
  boolean owns(AsyncSession session) {
    return state == State.LIVE && sessions.contains(session);
  }

  /** Fails overdue requests on every stream; returns the earliest deadline still pending. */
  long expireOverdue(long nowNanos) {
    long next = Long.MAX_VALUE;
    for (AsyncSession session : sessions) {
      next = Math.min(next, session.expireOverdue(nowNanos));
    }
    return next;
  }

  /** Asks the server for its info (a cheap liveness check); completes with the info or the failure. */
  CompletableFuture<ServerInfo> probe() {
    probing = true;
    // The channel has its own reconnect backoff (up to minutes); our retries set the pace instead.
    channel.resetConnectBackoff();
    CompletableFuture<ServerInfo> result = new CompletableFuture<>();
    long timeout = Math.min(PROBE_TIMEOUT.toNanos(), client.callTimeout().toNanos());
    EnvServiceGrpc.newStub(channel).withDeadlineAfter(timeout, TimeUnit.NANOSECONDS)
        .getServerInfo(GetServerInfoRequest.getDefaultInstance(), new StreamObserver<>() {
          @Override
          public void onNext(ServerInfo value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            result.completeExceptionally(new IllegalStateException("GetServerInfo answered nothing"));
          }
        });
    return result;
  }

  /** Whether a retry is due: down, not retired, no probe running, and its backoff has passed. */
  boolean retryDue(long nowNanos) {
    return state == State.DOWN && !retired && !probing && nowNanos - nextRetryNanos >= 0;
  }

  /** When the next retry is due, or {@link Long#MAX_VALUE} when none is pending. */
  long nextRetryNanos() {
    return state == State.DOWN && !retired && !probing ? nextRetryNanos : Long.MAX_VALUE;
  }

  /** How many sub-environments it can hold: unlimited until it refused a make (RESOURCE_EXHAUSTED). */
  int capacity() {
    return capacity;
  }

  /** It refused a make while holding {@code envs} of ours: place no more than that here while it is up. */
  void full(int envs) {
    capacity = Math.max(0, envs);
  }

  /** The server answered: opens a fresh session stream on it. */
  void markLive() {
    probing = false;
    capacity = Integer.MAX_VALUE;
    state = State.LIVE;
    everLive = true;
    backoff = retryInitial;
    List<AsyncSession> opened = new ArrayList<>(streams);
    for (int i = 0; i < streams; i++) {
      opened.add(AsyncSession.open(channel, endpoint.authority(), client));
    }
    sessions = List.copyOf(opened);
  }

  /** A probe failed: waits the backoff, then doubles it (up to the maximum). */
  void retryLater(String error, long nowNanos) {
    probing = false;
    lastError = error;
    nextRetryNanos = nowNanos + backoff.toNanos();
    backoff = backoff.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : backoff.multipliedBy(2);
  }

  /** The server failed or stopped answering: cancels its session; the first retry comes after the backoff. */
  void markDown(String error, long nowNanos) {
    sessions.forEach(session -> session.cancel("env server lost: " + error));
    state = State.DOWN;
    downSinceNanos = nowNanos;
    retryLater(error, nowNanos);
  }

  /** The targets no longer name it (e.g. a replica was scaled away): no new placements, no retries. */
  void retire() {
    retired = true;
  }

  boolean retired() {
    return retired;
  }

  /** Whether it was ever live (so that coming up again is a return, not a first contact). */
  boolean everLive() {
    return everLive;
  }

  long downSinceNanos() {
    return downSinceNanos;
  }

  /** The wait until the next retry, for log lines (whole milliseconds). */
  Duration untilRetry(long nowNanos) {
    return Duration.ofMillis(Math.max(0, Math.round((nextRetryNanos - nowNanos) / 1e6)));
  }

  /** The last failure, one line. */
  String lastError() {
    return lastError;
  }

  /** Ends the session (the server closes its instances) and shuts the channel down. */
  void close() {
    sessions.forEach(AsyncSession::end);
    channel.shutdownNow();
  }

  @Override
  public String toString() {
    return endpoint.authority();
  }
}
