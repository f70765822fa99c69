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
 * <p>It pauses by itself once the step count reaches the one the learner named ({@link #resume}), and on
 * {@link #pause}; it first takes every answer still in flight, so a paused collector leaves no env mid-step and the
 * run at rest for evaluations and checkpoints. It finishes when every transition of the run is stored, on
 * {@link #stop} (answers in flight are then left unread), or when an env fails for good ({@link #failure}).
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
  private volatile Throwable failure;
  // The collector thread's own: envs that answered and await an action, and how many are stepping.
  private int[] ready;
  private int inFlight;

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
    ready = new int[envs.numEnvs()];
    Arrays.setAll(ready, i -> i);
    try {
      while (!stopRequested) {
        if (interrupting()) {
          while (inFlight > 0 && !stopRequested) {
            receive(inFlight);
          }
          awaitResume();
          continue;
        }
        limiter.awaitCaughtUp(this::interrupting);
        if (interrupting()) {
          continue;
        }
        sendToReadyEnvs();
        if (inFlight == 0) {
          break; // every transition of the run is stored
        }
        receive(Math.max(1, (inFlight + 1) / 2));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      synchronized (this) {
        finished = true;
        notifyAll();
      }
      limiter.wakeUp();
    }
  }

  /** Chooses and sends the actions of the envs that have answered, as many as the run still needs. */
  private void sendToReadyEnvs() {
    long budget = totalTimesteps - store.numTimesteps() - inFlight;
    int[] sending = Arrays.copyOf(ready, (int) Math.max(0, Math.min(ready.length, budget)));
    if (sending.length == 0) {
      return;
    }
    float[] observations = store.observationsOf(sending);
    boolean warmUp = store.numTimesteps() < learningStarts;
    BoxValue actions = sampler.sample(observations, sending, warmUp, actors.latest()::predict);
    store.setActions(sending, actions.data());
    envs.send(actions, sending);
    inFlight += sending.length;
    ready = Arrays.copyOfRange(ready, sending.length, ready.length);
  }

  /** Takes at least {@code minResults} answers, stores them, and marks their envs ready. */
  private void receive(int minResults) {
    VectorStepResult result = envs.recv(minResults);
    inFlight -= result.size();
    store.store(result, sampler::episodeEnded);
    int[] answered = result.envIds();
    int[] next = Arrays.copyOf(ready, ready.length + answered.length);
    System.arraycopy(answered, 0, next, ready.length, answered.length);
    ready = next;
  }

  /** Whether to pause: asked to, or the pause step reached (except at the run's end, which finishes instead). */
  private boolean interrupting() {
    long steps = store.numTimesteps();
    return pauseRequested || stopRequested || (steps >= pauseAt && steps < totalTimesteps);
  }

  /** Paused with no env in flight until {@link #resume} or {@link #stop}. */
  private void awaitResume() throws InterruptedException {
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
  }

  /** Whether it is paused (no env in flight) or finished, so that the run is at rest. */
  boolean atRest() {
    return paused || finished;
  }

  /** Whether it has stopped for good: every transition collected, a stop, or an env failure. */
  boolean finished() {
    return finished;
  }

  /** What ended collection abnormally (an env that failed for good), or null. */
  Throwable failure() {
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
