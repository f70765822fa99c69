package io.gymlink.vector;

import io.gymlink.client.AsyncSession;
import io.gymlink.client.ClientConfig;
import io.gymlink.env.EnvException;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.TooManyInstancesException;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the sub-environments of a {@link RemoteVectorEnv} live: spreads them evenly at the start, re-makes lost
 * ones on the least-loaded live server, and when a server comes up moves some there, each at the end of an episode
 * (an instance is prepared on the new server beforehand, so the move costs no round trip and no transition).
 *
 * <p>Only the vector env's thread calls it; answers come back as events of its {@link EventLoop}.
 */
final class Placement {

  /** Told when a (re-)made instance of {@code env} started an episode with {@code firstObservation}. */
  interface MadeListener {
    void made(SubEnv env, float[] firstObservation, boolean seededForReset);
  }

  private static final Logger log = LoggerFactory.getLogger(RemoteVectorEnv.class);

  private final SubEnv[] envs;
  private final ServerFleet fleet;
  private final EventLoop loop;
  private final InstanceMaker maker;
  private final MadeListener listener;
  private Long baseSeed;
  private boolean running;

  Placement(SubEnv[] envs, ServerFleet fleet, EventLoop loop, InstanceMaker maker, MadeListener listener) {
    this.envs = envs;
    this.fleet = fleet;
    this.loop = loop;
    this.maker = maker;
    this.listener = listener;
  }

  /** The seed of the last vector reset; re-made instances get seeds derived from it. */
  void seed(Long seed) {
    baseSeed = seed;
  }

  /** Makes every sub-environment, without a reset (the vector env's first reset follows): env i on server i mod S. */
  void placeAll() {
    List<ServerLink> usable = fleet.usable();
    for (SubEnv env : envs) {
      make(env, usable.get(env.index % usable.size()), null, false);
    }
  }

  /** Makes every lost sub-environment again on the least-loaded usable server (or adopts a prepared move). */
  void placeLost() {
    for (SubEnv env : envs) {
      if (env.state != SubEnv.State.LOST) {
        continue;
      }
      SubEnv.Move move = env.move;
      env.move = null;
      if (move != null && move.ready() && move.link.usable()) {
        adopt(env, move);
        env.state = SubEnv.State.LIVE;
        listener.made(env, move.firstObservation, false);
        continue;
      }
      ServerLink target = leastLoaded();
      if (target == null) {
        return;
      }
      make(env, target, env.resetting ? env.resetSeed : nextSeed(env), true);
    }
  }

  /** {@code env}'s instance is gone (it raised): closes it and makes another. */
  void lose(SubEnv env, String reason) {
    if (env.instance != null && env.session.isUsable()) {
      env.session.close(env.instance);
    }
    detach(env, reason);
    placeLost();
  }

  /**
   * A server failed or stopped answering: every sub-environment on it is lost (its episode ends as interrupted)
   * and made again on live servers; the server is retried with backoff. Ignored for a session already replaced.
   */
  void serverLost(ServerLink link, AsyncSession session, String reason) {
    if (!link.owns(session)) {
      return;
    }
    fleet.markDown(link, reason);
    int lost = 0;
    for (SubEnv env : envs) {
      if (env.move != null && env.move.link == link) {
        env.move = null;
      }
      if (env.link == link) {
        detach(env, "env server at " + link + " lost (" + reason + ")");
        lost++;
      }
    }
    String retry = ClientConfig.describe(link.untilRetry(fleet.now()));
    if (lost > 0) {
      log.warn("env server at {} lost ({}): {} envs interrupted, re-making them on {} live servers; retrying it in"
          + " {}", link, reason, lost, fleet.usable().size(), retry);
    } else {
      log.warn("env server at {} lost ({}); retrying it in {}", link, reason, retry);
    }
    placeLost();
  }

  /** The start-up is over: from now on a full server makes envs wait instead of failing the vector env. */
  void running() {
    running = true;
  }

  /** A server came up: lost sub-environments go there, and some of the others move there at an episode end. */
  void serverUp(ServerLink link) {
    placeLost();
    rebalance();
  }

  /**
   * {@code env}'s episode ended: if an instance is ready for it on another server, switches to it.
   *
   * @return the first observation of the next episode on the new server, or null when {@code env} stays
   */
  float[] endOfEpisode(SubEnv env) {
    SubEnv.Move move = env.move;
    if (move == null || !move.ready() || !move.link.usable()) {
      return null;
    }
    env.move = null;
    env.session.close(env.instance);
    adopt(env, move);
    return move.firstObservation;
  }

  /** Adopts a ready move now (a vector reset starts new episodes everywhere anyway). */
  void adoptReadyMove(SubEnv env) {
    if (env.state == SubEnv.State.LIVE && endOfEpisode(env) != null) {
      env.epoch++;
    }
  }

  private void rebalance() {
    List<ServerLink> usable = fleet.usable();
    if (usable.isEmpty()) {
      return;
    }
    int target = (envs.length + usable.size() - 1) / usable.size();
    int planned = 0;
    for (SubEnv env : envs) {
      boolean settled = env.state == SubEnv.State.LIVE || env.state == SubEnv.State.STEPPING;
      if (!settled || env.move != null) {
        continue;
      }
      ServerLink to = leastLoaded();
      boolean mustLeave = !env.link.usable();
      if (to != null && to != env.link && (mustLeave || load(env.link) > target && load(to) < target)) {
        prepareMove(env, to);
        planned++;
      }
    }
    if (planned > 0) {
      log.info("rebalancing over {} env servers: {} envs move at the end of their current episodes", usable.size(),
          planned);
    }
  }

  private void prepareMove(SubEnv env, ServerLink to) {
    AsyncSession session = quietestStream(to);
    SubEnv.Move move = new SubEnv.Move(to, session);
    env.move = move;
    maker.make(session, nextSeed(env), true, made -> {
      if (env.move != move) {
        made.closeOn(session);
        return;
      }
      Throwable failure = made.error();
      if (failure != null) {
        env.move = null;
        made.closeOn(session);
        if (failure instanceof EnvServerUnavailableException) {
          serverLost(to, session, ServerFleet.oneLine(failure));
        } else {
          log.debug("cannot prepare {} on env server {}: {}", env, to, failure.getMessage());
        }
        return;
      }
      move.instance = made.instance();
      move.firstObservation = made.firstObservation();
    });
  }

  private void make(SubEnv env, ServerLink link, Long seed, boolean reset) {
    long epoch = ++env.epoch;
    boolean forReset = env.resetting;
    env.state = SubEnv.State.MAKING;
    env.link = link;
    env.instance = null;
    AsyncSession session = quietestStream(link);
    env.session = session;
    maker.make(session, seed, reset, made -> {
      if (env.epoch != epoch) {
        made.closeOn(session);
        return;
      }
      Throwable failure = made.error();
      if (failure instanceof EnvServerUnavailableException) {
        serverLost(link, session, ServerFleet.oneLine(failure));
      } else if (failure instanceof TooManyInstancesException && running) {
        // A full server (e.g. taking the envs of a lost one): wait for room rather than stop the run.
        link.full(load(link) - 1);
        detach(env, env.lostReason);
        log.warn("env server at {} is full ({}); {} waits for room on another server", link, failure.getMessage(),
            env);
        placeLost();
      } else if (failure != null) {
        made.closeOn(session);
        loop.fail(failure instanceof EnvException e ? e : new EnvServerException("cannot make " + env + ": "
            + failure.getMessage(), failure));
      } else if (maker.fits(env, made.instance())) {
        env.instance = made.instance();
        env.state = SubEnv.State.LIVE;
        if (reset) {
          listener.made(env, made.firstObservation(), forReset);
        }
      }
    });
  }

  private void detach(SubEnv env, String reason) {
    if (env.state != SubEnv.State.LOST) {
      env.lostSinceNanos = fleet.now();
    }
    env.epoch++;
    env.instance = null;
    env.link = null;
    env.session = null;
    env.state = SubEnv.State.LOST;
    env.lostReason = reason;
  }

  private void adopt(SubEnv env, SubEnv.Move move) {
    env.instance = move.instance;
    env.link = move.link;
    env.session = move.session;
    env.generation++;
  }

  /** The sub-environment that has waited longest for a server to be made on, or null when none waits. */
  SubEnv longestLost() {
    SubEnv longest = null;
    for (SubEnv env : envs) {
      if (env.state == SubEnv.State.LOST && (longest == null || env.lostSinceNanos - longest.lostSinceNanos < 0)) {
        longest = env;
      }
    }
    return longest;
  }

  private ServerLink leastLoaded() {
    return fleet.usable().stream().filter(link -> load(link) < link.capacity())
        .min(Comparator.comparingInt(this::load)).orElse(null);
  }

  /** The stream of {@code link} with the fewest sub-environments. */
  private AsyncSession quietestStream(ServerLink link) {
    return link.sessions().stream().min(Comparator.comparingInt(session -> {
      int count = 0;
      for (SubEnv env : envs) {
        count += env.streamOn() == session ? 1 : 0;
      }
      return count;
    })).orElseThrow();
  }

  private int load(ServerLink link) {
    int load = 0;
    for (SubEnv env : envs) {
      if (env.placedOn() == link) {
        load++;
      }
    }
    return load;
  }

  private Long nextSeed(SubEnv env) {
    env.generation++;
    return baseSeed == null ? null : baseSeed + env.index + (long) envs.length * env.generation;
  }
}
