package io.gymlink.vector;

import io.gymlink.client.AsyncSession;
import io.gymlink.client.ProtoCodec;
import io.gymlink.client.RemoteInstance;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.proto.v1.StepBatchResponse;
import io.gymlink.proto.v1.StepResponse;
import io.gymlink.proto.v1.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorEnv} whose N sub-environments live on one or several gRPC env servers, spread evenly: per server
 * one session stream and one {@code step_batch} request per vector step (with the server's same-step autoreset),
 * all servers in flight at once. {@link #send} returns at once; {@link #recv} returns as soon as the servers holding
 * enough of the sent sub-environments have answered.
 *
 * <p>Faults: a server that fails or stops answering (UNAVAILABLE, DEADLINE_EXCEEDED, a reset stream) loses its
 * sub-environments; their episodes come back as {@link VectorStepResult#interrupted()} rows, they are made again on
 * the live servers, and the server is retried with exponential backoff and used again when it returns. A
 * sub-environment that raises is made again; the others go on. Only when no server at all has been reachable for
 * {@link RemoteVectorConfig#serverLostTimeout} does a call fail, with {@link EnvServerUnavailableException}. Each
 * event is one log line. Every request has a deadline. One thread drives the vector env.
 */
public final class RemoteVectorEnv implements VectorEnv {

  private static final Logger log = LoggerFactory.getLogger(RemoteVectorEnv.class);

  private final RemoteVectorConfig config;
  private final ServerFleet fleet;
  private final SubEnv[] envs;
  private final InstanceMaker maker;
  private final Placement placement;
  private final EventLoop loop;
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private boolean closed;

  private RemoteVectorEnv(ServerTargets targets, RemoteVectorConfig config, HostResolver resolver,
      ChannelFactory channels) {
    this.config = config;
    this.loop = new EventLoop(config.serverLostTimeout());
    this.fleet = new ServerFleet(targets, config, resolver, channels, loop::post, System::nanoTime);
    this.envs = new SubEnv[config.numEnvs()];
    Arrays.setAll(envs, SubEnv::new);
    this.maker = new InstanceMaker(config, loop);
    this.placement = new Placement(envs, fleet, loop, maker, this::onMade);
    loop.watch(fleet, placement::longestLost);
  }

  /** Connects to the servers over plaintext channels, resolving names with the system's resolver. */
  public static RemoteVectorEnv connect(ServerTargets targets, RemoteVectorConfig config) {
    return connect(targets, config, HostResolver.system(), ChannelFactory.plaintext());
  }

  /**
   * Resolves the targets, probes every server, and makes the N sub-environments, spread evenly over the servers
   * that answered. Call {@link #reset} before stepping.
   *
   * @throws EnvServerUnavailableException if no server answers
   * @throws EnvException if a server refuses the environment (unknown id, instance limit, spaces that are not Box)
   */
  public static RemoteVectorEnv connect(ServerTargets targets, RemoteVectorConfig config, HostResolver resolver,
      ChannelFactory channels) {
    RemoteVectorEnv env = new RemoteVectorEnv(targets, config, resolver, channels);
    try {
      env.start(targets);
      return env;
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  private void start(ServerTargets targets) {
    fleet.start();
    loop.await(fleet::allContacted, false);
    if (fleet.usable().isEmpty()) {
      throw new EnvServerUnavailableException("cannot reach any env server of " + targets + " ("
          + fleet.describeDown() + ") — are they running?");
    }
    placement.placeAll();
    loop.await(() -> Arrays.stream(envs).allMatch(e -> e.state == SubEnv.State.LIVE), true);
    fleet.listen(placement::serverUp);
    placement.running();
    Map<String, Long> spread = Arrays.stream(envs).collect(Collectors.groupingBy(e -> e.link.toString(),
        LinkedHashMap::new, Collectors.counting()));
    log.info("vector env: {} x '{}' on {} env servers {}", envs.length, config.envId(), spread.size(), spread);
  }

  @Override
  public int numEnvs() {
    return envs.length;
  }

  @Override
  public BoxSpace singleObservationSpace() {
    return maker.observationSpace();
  }

  @Override
  public BoxSpace singleActionSpace() {
    return maker.actionSpace();
  }

  @Override
  public BoxValue reset(Long seed) {
    checkOpen();
    loop.await(() -> outstanding() == 0, true);
    ready.clear();
    placement.seed(seed);
    for (SubEnv env : envs) {
      env.generation = 0;
      env.resetting = true;
      env.resetSeed = seed == null ? null : seed + env.index;
      env.resetObservation = null;
      env.freshObservation = null;
      env.pendingEnd = null;
      placement.adoptReadyMove(env);
      if (env.state == SubEnv.State.LIVE) {
        sendReset(env);
      }
    }
    placement.placeLost();
    loop.await(() -> Arrays.stream(envs).noneMatch(e -> e.resetting), true);
    int dim = singleObservationSpace().size();
    float[] observations = new float[envs.length * dim];
    for (SubEnv env : envs) {
      System.arraycopy(env.resetObservation, 0, observations, env.index * dim, dim);
    }
    return new BoxValue(observations, Rows.batchShape(singleObservationSpace(), envs.length));
  }

  @Override
  public VectorStepResult step(BoxValue actions) {
    checkOpen();
    if (outstanding() > 0 || !ready.isEmpty()) {
      throw new IllegalStateException("step() while answers of send() are pending; finish them with recv() first");
    }
    int[] all = new int[envs.length];
    Arrays.setAll(all, i -> i);
    send(actions, all);
    return Rows.toResult(collect(envs.length), singleObservationSpace(), true);
  }

  @Override
  public void send(BoxValue actions, int[] envIds) {
    checkOpen();
    boolean[] busy = new boolean[envs.length];
    for (SubEnv env : envs) {
      busy[env.index] = env.sent;
    }
    float[][] rows = ActionRows.split(actions, envIds, singleActionSpace(), busy, config.envId());
    Map<AsyncSession, List<SubEnv>> batches = new LinkedHashMap<>();
    Map<SubEnv, Value> encoded = new LinkedHashMap<>();
    for (int k = 0; k < envIds.length; k++) {
      SubEnv env = envs[envIds[k]];
      env.sent = true;
      if (env.freshObservation != null) {
        // Its server was lost while the user held its last observation: the episode ends here, interrupted.
        ready.add(Row.interrupted(env.index, env.freshObservation, env.lostReason));
        env.freshObservation = null;
        env.sent = false;
      } else if (env.state == SubEnv.State.LIVE) {
        env.state = SubEnv.State.STEPPING;
        batches.computeIfAbsent(env.session, session -> new ArrayList<>()).add(env);
        encoded.put(env, ProtoCodec.encodeValue(singleActionSpace(),
            new BoxValue(rows[k], singleActionSpace().shape())));
      }
      // Otherwise it is being made again; its interrupted row comes when it is.
    }
    batches.forEach((session, members) -> sendBatch(members.get(0).link, session, members,
        members.stream().map(encoded::get).toList()));
  }

  @Override
  public VectorStepResult recv(int minResults) {
    checkOpen();
    int wanted = Math.min(Math.max(minResults, 0), ready.size() + outstanding());
    return Rows.toResult(collect(wanted), singleObservationSpace(), false);
  }

  private List<Row> collect(int wanted) {
    loop.await(() -> ready.size() >= wanted, true);
    List<Row> rows = new ArrayList<>(ready);
    ready.clear();
    return rows;
  }

  private void sendBatch(ServerLink link, AsyncSession session, List<SubEnv> members, List<Value> actions) {
    long[] epochs = members.stream().mapToLong(e -> e.epoch).toArray();
    List<RemoteInstance> instances = members.stream().map(e -> e.instance).toList();
    session.stepBatch(instances, actions, true, true).whenComplete((answer, error) -> loop.post(
        () -> onBatch(link, session, members, epochs, answer, error)));
  }

  private void onBatch(ServerLink link, AsyncSession session, List<SubEnv> members, long[] epochs,
      StepBatchResponse answer, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof EnvServerUnavailableException) {
        placement.serverLost(link, session, ServerFleet.oneLine(cause));
      } else {
        loop.fail(cause instanceof RuntimeException r ? r : new EnvServerException(cause.getMessage(), cause));
      }
      return;
    }
    for (int k = 0; k < members.size(); k++) {
      SubEnv env = members.get(k);
      if (env.epoch == epochs[k]) {
        onStepped(env, answer.getResults(k));
      }
    }
    placement.placeLost();
  }

  private void onStepped(SubEnv env, StepResponse response) {
    env.state = SubEnv.State.LIVE;
    Row row = response.hasObservation() ? Row.of(env.index, env.instance.decodeStep(response)) : null;
    if (row == null && !response.hasError()) {
      loop.fail(new EnvServerException("env server at " + env.link + " answered step_batch for " + env
          + " with neither an observation nor an error"));
      return;
    }
    if (response.hasError()) {
      // The env raised (in the step, or only in its autoreset: then the transition is kept and finished later).
      log.warn("{} raised: {}; making it again", env, response.getError().getMessage());
      env.pendingEnd = row;
      placement.lose(env, response.getError().getMessage());
      return;
    }
    env.sent = false;
    if (row.finalObservation() != null) {
      float[] moved = placement.endOfEpisode(env);
      row = row.withObservation(moved != null ? moved
          : env.instance.observation(response.getResetObservation()).asBox().data());
    }
    ready.add(row);
  }

  private void sendReset(SubEnv env) {
    long epoch = env.epoch;
    ServerLink link = env.link;
    AsyncSession session = env.session;
    session.reset(env.instance, env.resetSeed).whenComplete((answer, error) -> loop.post(() -> {
      if (env.epoch != epoch) {
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof EnvServerUnavailableException) {
        placement.serverLost(link, session, ServerFleet.oneLine(cause));
      } else if (cause instanceof EnvServerException) {
        log.warn("{} raised in reset: {}; making it again", env, cause.getMessage());
        placement.lose(env, cause.getMessage());
      } else if (cause != null) {
        loop.fail(cause instanceof RuntimeException r ? r : new EnvServerException(cause.getMessage(), cause));
      } else {
        onMade(env, env.instance.decodeReset(answer.getReset()).observation().asBox().data(), true);
      }
    }));
  }

  private void onMade(SubEnv env, float[] firstObservation, boolean seededForReset) {
    if (env.resetting) {
      if (seededForReset) {
        env.resetObservation = firstObservation;
        env.resetting = false;
      } else {
        sendReset(env);
      }
    } else if (env.pendingEnd != null) {
      ready.add(env.pendingEnd.withObservation(firstObservation));
      env.pendingEnd = null;
      env.sent = false;
    } else if (env.sent) {
      ready.add(Row.interrupted(env.index, firstObservation, env.lostReason));
      env.sent = false;
    } else {
      env.freshObservation = firstObservation;
    }
  }

  private int outstanding() {
    int count = 0;
    for (SubEnv env : envs) {
      if (env.sent) {
        count++;
      }
    }
    return count;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the vector env is closed");
    }
    loop.rethrow();
  }

  /** Ends every session (the servers close their instances) and shuts the channels down. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    fleet.close();
  }
}
