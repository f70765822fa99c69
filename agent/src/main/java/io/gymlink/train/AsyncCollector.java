package io.gymlink.train;

import io.gymlink.env.spaces.BoxValue;
import io.gymlink.vector.VectorEnv;
import io.gymlink.vector.VectorStepResult;
import java.util.Arrays;

/**
 * Asynchronous collection: a thread of its own that keeps every training env busy while the learner trains. It
 * sends actions to whichever envs have answered ({@link VectorEnv#send}), takes the answers of at least half of
 * those in flight ({@link VectorEnv#recv}), stores them in the {@link ExperienceStore}, and goes on, acting with
 * the latest actor the learner offered through the {@link ActorExchange}. The {@link ReplayRatioLimiter} holds it
 * back when the learner falls behind the replay ratio.
 *
 * <p>It stops by itself at a step count the learner names ({@link #resume}) so that evaluations and checkpoints see
 * the run at rest, and when every transition of the run has been collected; the envs' answers in flight are stored
 * first. Between {@link #pause} and {@link #resume} it touches nothing shared.
 */
final class AsyncCollector {

  private final VectorEnv envs;
  private final ExperienceStore store;
  private final ActionSampler sampler;
  private final ActorExchange actors;
  private final ReplayRatioLimiter limiter;
  private final long totalTimesteps;
  private final int learningStarts;
  private final Thread thread;
  // Volatile, read without this object's lock: the limiter calls interrupting() while holding its own lock, and
  // this object never holds its lock while calling the limiter, so the two locks are never taken in both orders.
  private volatile long pauseAt;
  private volatile boolean pauseRequested;
  private volatile boolean stopRequested;
  private volatile boolean paused;
  private volatile boolean finished;
  private volatile RuntimeException failure;

  /**
   * @param sampler chooses actions; owned by the collector's thread from {@link #start} on
   * @param pauseAt the step count at which to pause first
   */
  AsyncCollector(VectorEnv envs, ExperienceStore store, ActionSampler sampler, ActorExchange actors,
      ReplayRatioLimiter limiter, long totalTimesteps, int learningStarts, long pauseAt) {
    this.envs = envs;
    this.store = store;
    this.sampler = sampler;
    this.actors = actors;
    this.limiter = limiter;
    this.totalTimesteps = totalTimesteps;
    this.learningStarts = learningStarts;
    this.pauseAt = pauseAt;
    this.thread = new Thread(this::collect, "gymlink-collector");
    thread.setDaemon(true);
  }

  /** Starts collecting; the envs must have been reset and their observations handed to the store. */
  void start() {
    thread.start();
  }

  private void collect() {
    int numEnvs = envs.numEnvs();
    int actionDim = envs.singleActionSpace().size();
    int[] ready = new int[numEnvs];
    Arrays.setAll(ready, i -> i);
    int inFlight = 0;
    try {
      while (awaitGo()) {
        limiter.awaitCaughtUp(this::interrupting);
        if (interrupting()) {
          continue;
        }
        long budget = totalTimesteps - store.numTimesteps() - inFlight;
        int[] sending = Arrays.copyOf(ready, (int) Math.max(0, Math.min(ready.length, budget)));
        if (sending.length > 0) {
          float[] observations = store.observationsOf(sending);
          boolean warmUp = store.numTimesteps() < learningStarts;
          float[] actions = sampler.sample(observations, sending, warmUp, actors.latest()::predict);
          store.setActions(sending, actions);
          envs.send(new BoxValue(actions, new int[] {sending.length, actionDim}), sending);
          inFlight += sending.length;
          ready = Arrays.copyOfRange(ready, sending.length, ready.length);
        }
        if (inFlight == 0) {
          break;
        }
        VectorStepResult result = envs.recv(Math.max(1, (inFlight + 1) / 2));
        inFlight -= result.size();
        store.store(result, sampler::episodeEnded);
        int[] answered = result.envIds();
        int[] next = Arrays.copyOf(ready, ready.length + answered.length);
        System.arraycopy(answered, 0, next, ready.length, answered.length);
        ready = next;
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (this) {
        finished = true;
        notifyAll();
      }
      limiter.wakeUp();
    }
  }

  /** Whether to stop at the safe point: a pause, a stop, or the pause step reached (not at the run's end). */
  private boolean interrupting() {
    long steps = store.numTimesteps();
    return pauseRequested || stopRequested || (steps >= pauseAt && steps < totalTimesteps);
  }

  /** The collector's safe point: pauses while asked to; false once a stop was requested. */
  private boolean awaitGo() throws InterruptedException {
    if (!interrupting() || stopRequested) {
      return !stopRequested;
    }
    synchronized (this) {
      paused = true;
      notifyAll();
    }
    limiter.wakeUp();
    synchronized (this) {
      while (interrupting() && !stopRequested) {
        wait();
      }
      paused = false;
    }
    return !stopRequested;
  }

  /** Whether it is paused at its safe point (or finished), so that the run is at rest. */
  boolean atRest() {
    return paused || finished;
  }

  /** Whether it has stopped for good: every transition collected, a stop, or an env failure. */
  boolean finished() {
    return finished;
  }

  /** The env error that ended collection, or null. */
  RuntimeException failure() {
    return failure;
  }

  /** Asks it to pause and waits until it is at rest (its answers in flight are stored first). */
  void pause() throws InterruptedException {
    pauseRequested = true;
    limiter.wakeUp();
    synchronized (this) {
      while (!paused && !finished) {
        wait();
      }
    }
  }

  /** Lets it collect again, up to the step count {@code nextPauseAt}. */
  void resume(long nextPauseAt) {
    pauseAt = nextPauseAt;
    synchronized (this) {
      pauseRequested = false;
      notifyAll();
    }
  }

  /** Stops it for good and waits for its thread; the envs' answers still in flight are left unread. */
  void stop() throws InterruptedException {
    stopRequested = true;
    synchronized (this) {
      notifyAll();
    }
    limiter.wakeUp();
    thread.join();
  }
}
