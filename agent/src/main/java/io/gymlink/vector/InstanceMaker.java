package io.gymlink.vector;

import io.gymlink.client.AsyncSession;
import io.gymlink.client.RemoteInstance;
import io.gymlink.env.EnvServerException;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.Space;
import io.gymlink.proto.v1.SessionResponse;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Makes (and resets) the instances of a {@link RemoteVectorEnv}'s sub-environments, and holds the Box spaces they
 * must all share (those of the first instance made).
 */
final class InstanceMaker {

  /** The outcome of a make (and reset): the instance, the reset's answer, or the failure. */
  record Made(RemoteInstance instance, SessionResponse reset, Throwable error) {

    /** The first observation of the reset. */
    float[] firstObservation() {
      return instance.decodeReset(reset.getReset()).observation().asBox().data();
    }

    /** Closes the instance made, if any, when its stream still works (a failed reset left it behind). */
    void closeOn(AsyncSession session) {
      if (instance != null && session.isUsable()) {
        session.close(instance);
      }
    }
  }

  private final RemoteVectorConfig config;
  private final EventLoop loop;
  private BoxSpace observationSpace;
  private BoxSpace actionSpace;

  InstanceMaker(RemoteVectorConfig config, EventLoop loop) {
    this.config = config;
    this.loop = loop;
  }

  BoxSpace observationSpace() {
    return observationSpace;
  }

  BoxSpace actionSpace() {
    return actionSpace;
  }

  /**
   * Makes an instance on {@code session} and, if asked, resets it with {@code seed}; the outcome (failure included)
   * arrives as an event. The reset is sent from the vector env's thread too (an answer's callback runs on the
   * transport thread), so that one thread sends on a session and its requests stay in the order of their answers.
   */
  void make(AsyncSession session, Long seed, boolean reset, Consumer<Made> then) {
    session.make(config.envId(), config.kwargs(), config.maxEpisodeSteps(), config.actionRepeat()).whenComplete((instance, error) ->
        loop.post(() -> {
          if (error != null || !reset) {
            then.accept(new Made(instance, null, unwrap(error)));
            return;
          }
          session.reset(instance, seed).whenComplete((answer, failure) ->
              loop.post(() -> then.accept(new Made(instance, answer, unwrap(failure)))));
        }));
  }

  /**
   * Whether {@code instance} has the spaces of the others (the first one sets them); if not, the vector env ends
   * with an error saying so.
   */
  boolean fits(SubEnv env, RemoteInstance instance) {
    if (observationSpace == null) {
      observationSpace = box("observation", instance.observationSpace());
      actionSpace = box("action", instance.actionSpace());
      return observationSpace != null && actionSpace != null;
    }
    if (!observationSpace.equals(instance.observationSpace()) || !actionSpace.equals(instance.actionSpace())) {
      loop.fail(new EnvServerException(env + " has spaces " + instance.observationSpace() + ", "
          + instance.actionSpace() + "; expected those of the others: " + observationSpace + ", " + actionSpace
          + " (are the servers running different versions of '" + config.envId() + "'?)"));
      return false;
    }
    return true;
  }

  private BoxSpace box(String what, Space space) {
    if (space instanceof BoxSpace box) {
      return box;
    }
    loop.fail(new UnsupportedSpaceException("a vector env needs a Box " + what + " space, but '" + config.envId()
        + "' has " + space));
    return null;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
