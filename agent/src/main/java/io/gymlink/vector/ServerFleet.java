package io.gymlink.vector;

import io.gymlink.client.ClientConfig;
import io.gymlink.env.EnvServerUnavailableException;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The env servers of a {@link RemoteVectorEnv}: resolves the targets (again every
 * {@link RemoteVectorConfig#reresolveInterval} when they name {@code dns:///} entries, so that new replicas are
 * found), retries servers that are down with exponential backoff, and tells the vector env when one comes up.
 *
 * <p>Only the vector env's thread calls it; probe answers and resolutions come back through {@code post}.
 */
final class ServerFleet implements AutoCloseable {

  /** Told when a server can take sub-environments (first contact, return, or newly resolved). */
  interface Listener {
    void serverUp(ServerLink link);
  }

  private static final Logger log = LoggerFactory.getLogger(RemoteVectorEnv.class);

  private final ServerTargets targets;
  private final RemoteVectorConfig config;
  private final HostResolver resolver;
  private final ChannelFactory channels;
  private final Consumer<Runnable> post;
  private final LongSupplier clock;
  private final Map<Endpoint, ServerLink> links = new LinkedHashMap<>();
  private final Set<ServerLink> answered = new HashSet<>();
  private ExecutorService resolving;
  private boolean resolvingNow;
  private long nextResolveNanos;
  private long lastLiveNanos;
  private Listener listener = link -> { };

  ServerFleet(ServerTargets targets, RemoteVectorConfig config, HostResolver resolver, ChannelFactory channels,
      Consumer<Runnable> post, LongSupplier clock) {
    this.targets = targets;
    this.config = config;
    this.resolver = resolver;
    this.channels = channels;
    this.post = post;
    this.clock = clock;
  }

  /**
   * Resolves the targets; every server found is probed at the next {@link #tick}.
   *
   * @throws EnvServerUnavailableException if no entry resolves to any address
   */
  void start() {
    List<String> failures = new ArrayList<>();
    List<Endpoint> endpoints = targets.resolve(resolver, failures);
    if (endpoints.isEmpty()) {
      throw new EnvServerUnavailableException("cannot resolve any env server of " + targets + ": "
          + String.join("; ", failures));
    }
    failures.forEach(failure -> log.warn("{}; going on without it", failure));
    long now = clock.getAsLong();
    endpoints.forEach(endpoint -> add(endpoint, now));
    lastLiveNanos = now;
    nextResolveNanos = now + config.reresolveInterval().toNanos();
    if (targets.resolvesNames()) {
      resolving = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gymlink-resolve");
        thread.setDaemon(true);
        return thread;
      });
    }
  }

  void listen(Listener listener) {
    this.listener = listener;
  }

  /** Every server known, live or not. */
  Collection<ServerLink> links() {
    return links.values();
  }

  /** The servers new sub-environments may go to. */
  List<ServerLink> usable() {
    return links.values().stream().filter(ServerLink::usable).toList();
  }

  /** Whether every server has answered a probe or failed one at least once (the end of the start-up). */
  boolean allContacted() {
    return answered.containsAll(links.values());
  }

  /** Now, on the fleet's clock. */
  long now() {
    return clock.getAsLong();
  }

  /** The last time any server was live ({@code clock} scale). */
  long lastLiveNanos() {
    return lastLiveNanos;
  }

  /**
   * Does what is due: fails requests past their deadline, probes servers whose retry is due, starts a
   * re-resolution.
   *
   * @return when the next thing is due ({@code clock} scale)
   */
  long tick(long now) {
    long next = Long.MAX_VALUE;
    boolean anyLive = false;
    for (ServerLink link : List.copyOf(links.values())) {
      if (link.state() == ServerLink.State.LIVE) {
        anyLive = true;
        next = Math.min(next, link.expireOverdue(now));
      } else if (link.retryDue(now)) {
        link.probe().whenComplete((info, error) -> post.accept(() -> onProbe(link, error)));
      }
      next = Math.min(next, link.nextRetryNanos());
    }
    if (anyLive) {
      lastLiveNanos = now;
    }
    if (resolving != null) {
      if (!resolvingNow && now - nextResolveNanos >= 0) {
        resolvingNow = true;
        resolving.execute(() -> {
          List<String> failures = new ArrayList<>();
          List<Endpoint> endpoints = targets.resolve(resolver, failures);
          post.accept(() -> onResolved(endpoints, failures));
        });
      }
      next = Math.min(next, nextResolveNanos);
    }
    return next;
  }

  /** A server failed or stopped answering; its retries start (a retired one is forgotten instead). */
  void markDown(ServerLink link, String error) {
    link.markDown(error, clock.getAsLong());
    if (link.retired()) {
      links.remove(link.endpoint).close();
    }
  }

  /** One line per server that is down, with its last error, e.g. for the message of giving up. */
  String describeDown() {
    List<String> parts = new ArrayList<>();
    for (ServerLink link : links.values()) {
      if (link.state() == ServerLink.State.DOWN) {
        parts.add(link.endpoint.authority() + ": " + link.lastError());
      }
    }
    return String.join("; ", parts);
  }

  private void onProbe(ServerLink link, Throwable error) {
    if (!links.containsKey(link.endpoint) || link.state() == ServerLink.State.LIVE) {
      return;
    }
    long now = clock.getAsLong();
    boolean first = answered.add(link);
    if (error != null) {
      link.retryLater(oneLine(error), now);
      if (first) {
        log.warn("env server at {} cannot be reached ({}); retrying in {}", link, link.lastError(),
            ClientConfig.describe(link.untilRetry(now)));
      } else {
        log.debug("env server at {} still down ({}); next retry in {}", link, link.lastError(),
            ClientConfig.describe(link.untilRetry(now)));
      }
      return;
    }
    boolean returning = link.everLive();
    long downSeconds = (now - link.downSinceNanos()) / 1_000_000_000L;
    link.markLive();
    lastLiveNanos = now;
    if (returning) {
      log.info("env server at {} is back after {} s; using it again", link, downSeconds);
    } else if (!first) {
      log.info("env server at {} is up; using it", link);
    }
    listener.serverUp(link);
  }

  private void onResolved(List<Endpoint> endpoints, List<String> failures) {
    long now = clock.getAsLong();
    resolvingNow = false;
    nextResolveNanos = now + config.reresolveInterval().toNanos();
    failures.forEach(failure -> log.debug("re-resolving: {}", failure));
    if (endpoints.isEmpty()) {
      return;
    }
    for (Endpoint endpoint : endpoints) {
      ServerLink known = links.get(endpoint);
      if (known == null) {
        log.info("found env server {} ({}); probing it", endpoint, endpoint.source());
        add(endpoint, now);
      }
    }
    Set<Endpoint> current = Set.copyOf(endpoints);
    for (ServerLink link : List.copyOf(links.values())) {
      if (!current.contains(link.endpoint) && !link.retired()) {
        link.retire();
        log.info("env server {} is no longer in {}; no new envs go there", link, link.endpoint.source());
        if (link.state() == ServerLink.State.DOWN) {
          links.remove(link.endpoint).close();
        }
      }
    }
  }

  private ServerLink add(Endpoint endpoint, long now) {
    ServerLink link = new ServerLink(endpoint, channels.open(endpoint), config.client(), config.retryInitial(),
        config.retryMax(), config.streamsPerServer(), now);
    links.put(endpoint, link);
    return link;
  }

  /** The first line of an error's description, e.g. {@code UNAVAILABLE: io exception}. */
  static String oneLine(Throwable error) {
    Status status = Status.fromThrowable(error);
    String text = status.getCode() != Status.Code.UNKNOWN
        ? status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription())
        : error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return text.lines().findFirst().orElse(text);
  }

  @Override
  public void close() {
    if (resolving != null) {
      resolving.shutdownNow();
    }
    links.values().forEach(ServerLink::close);
  }
}
