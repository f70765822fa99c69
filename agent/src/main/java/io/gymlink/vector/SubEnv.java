package io.gymlink.vector;

import io.gymlink.client.AsyncSession;
import io.gymlink.client.RemoteInstance;

/**
 * One sub-environment of a {@link RemoteVectorEnv}: where its instance lives, what it is doing, and what its user
 * has been told. Only the vector env's thread touches it.
 */
final class SubEnv {

  /** What the instance is doing. */
  enum State {
    /** Made and inside an episode; idle on the server. */
    LIVE,
    /** A step batch with its action is in flight. */
    STEPPING,
    /** Being made (and reset) on {@link #link}. */
    MAKING,
    /** Lost with its server or its own failure; waits for a server to be made on. */
    LOST
  }

  final int index;
  State state = State.LOST;
  ServerLink link;
  /** The session stream of {@link #link} its instance belongs to. */
  AsyncSession session;
  RemoteInstance instance;
  /** Bumped whenever in-flight answers about this sub-environment become stale (a loss, a re-make). */
  long epoch;
  /** The user sent an action and waits for this sub-environment's row. */
  boolean sent;
  /** The first observation of a re-made instance that the user has not seen: the next send answers at once. */
  float[] freshObservation;
  /** An ended row that waits for the first observation of the next episode from a re-made instance. */
  Row pendingEnd;
  /** Why the last episode was lost, for the interrupted row. */
  String lostReason;
  /** When it was last lost (nanoTime), to give up on it after the server-lost timeout. */
  long lostSinceNanos;
  /** A reset of the vector env waits for this sub-environment's first observation. */
  boolean resetting;
  /** The seed of that reset. */
  Long resetSeed;
  /** The first observation of that reset. */
  float[] resetObservation;
  /** How many times it was re-made or moved, so that a seeded vector env seeds each new instance differently. */
  int generation;
  /** An instance prepared on another server, swapped in at the next episode end (rebalancing). */
  Move move;

  /** An instance being prepared on another server for this sub-environment. */
  static final class Move {
    final ServerLink link;
    final AsyncSession session;
    RemoteInstance instance;
    float[] firstObservation;

    Move(ServerLink link, AsyncSession session) {
      this.link = link;
      this.session = session;
    }

    boolean ready() {
      return instance != null;
    }
  }

  SubEnv(int index) {
    this.index = index;
  }

  /** The server it counts against for balancing: where it moves to, else where it lives. */
  ServerLink placedOn() {
    return move != null ? move.link : link;
  }

  /** The stream it counts against: where it moves to, else where it lives. */
  AsyncSession streamOn() {
    return move != null ? move.session : session;
  }

  @Override
  public String toString() {
    return "env " + index + (link == null ? "" : " on " + link);
  }
}
