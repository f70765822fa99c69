package io.gymlink.train;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.td3.UpdateMetrics;
import io.gymlink.vector.VectorStepResult;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * The experience of the training envs, shared by whoever collects it (the loop, or the asynchronous collector's
 * thread) and the learner that samples it: the replay buffer, the observation statistics, each env's current
 * observation, action in flight and running episode, the step and episode counters and the metrics rows. Every
 * method holds this object's lock, so the collector's writes and the learner's samples never interleave.
 *
 * <p>{@link #store} follows SB3's {@code _store_transition} with same-step autoreset: a row whose episode ended
 * stores its true final observation as the next observation; only {@code terminated} stops bootstrapping, so a
 * time-limit truncation bootstraps through that final observation. An {@code interrupted} row (the env was lost)
 * ends its episode as truncated and stores nothing. A new episode's first observation joins the observation
 * statistics when an action is next chosen for it, after the update of the step that produced it, which keeps the
 * single-env loop's order of statistics updates.
 */
final class ExperienceStore {

  private final ReplayBuffer buffer;
  private final ObservationNormalizer normalizer;
  private final ReplayRatioLimiter limiter;
  private final int learningStarts;
  private final int observationDim;
  private final int actionDim;
  private final float[] observations;
  private final float[] actions;
  private final boolean[] unobserved;
  private final double[] episodeReturns;
  private final int[] episodeLengths;
  private EpisodeRecorder recorder;
  private int refillTarget;
  private volatile long numTimesteps;
  private long episodes;
  private long interruptedEpisodes;

  /** @param normalizer the observation statistics to update, or null */
  ExperienceStore(ReplayBuffer buffer, ObservationNormalizer normalizer, ReplayRatioLimiter limiter, int numEnvs,
      int learningStarts) {
    this.buffer = buffer;
    this.normalizer = normalizer;
    this.limiter = limiter;
    this.learningStarts = learningStarts;
    this.observationDim = buffer.observationDim();
    this.actionDim = buffer.actionDim();
    this.observations = new float[numEnvs * observationDim];
    this.actions = new float[numEnvs * actionDim];
    this.unobserved = new boolean[numEnvs];
    this.episodeReturns = new double[numEnvs];
    this.episodeLengths = new int[numEnvs];
  }

  /** Continues counting from a checkpoint's step and episode counts. */
  synchronized void restoreCounters(long steps, long episodeCount) {
    this.numTimesteps = steps;
    this.episodes = episodeCount;
  }

  /** Updates wait until the buffer holds more than {@code transitions} (a refill after resuming without one). */
  synchronized void refillUntil(int transitions) {
    this.refillTarget = transitions;
  }

  /** Starts every env's episode from a reset's observations {@code [N, ...]}; metrics rows go to {@code rows}. */
  synchronized void start(BoxValue firstObservations, EpisodeRecorder rows) {
    this.recorder = rows;
    System.arraycopy(firstObservations.data(), 0, observations, 0, observations.length);
    Arrays.fill(unobserved, true);
    Arrays.fill(episodeReturns, 0);
    Arrays.fill(episodeLengths, 0);
  }

  /** The current raw observations of {@code envIds}, row by row; new episodes' first ones join the statistics. */
  synchronized float[] observationsOf(int[] envIds) {
    float[] rows = new float[envIds.length * observationDim];
    for (int r = 0; r < envIds.length; r++) {
      int env = envIds[r];
      System.arraycopy(observations, env * observationDim, rows, r * observationDim, observationDim);
      if (unobserved[env]) {
        unobserved[env] = false;
        if (normalizer != null) {
          normalizer.update(Arrays.copyOfRange(observations, env * observationDim, (env + 1) * observationDim));
        }
      }
    }
    return rows;
  }

  /** Remembers the actions sent to {@code envIds}, row by row, for the transitions their answers complete. */
  synchronized void setActions(int[] envIds, float[] sent) {
    for (int r = 0; r < envIds.length; r++) {
      System.arraycopy(sent, r * actionDim, actions, envIds[r] * actionDim, actionDim);
    }
  }

  /** Stores the rows of a vector step; {@code onEpisodeEnd} hears of every env whose episode ended. */
  synchronized void store(VectorStepResult result, IntConsumer onEpisodeEnd) {
    float[] next = result.observations().data();
    for (int k = 0; k < result.size(); k++) {
      int env = result.envIds()[k];
      if (result.interrupted()[k]) {
        interruptedEpisodes++;
        endEpisode(env, onEpisodeEnd);
      } else {
        float[] nextObservation = result.finalObservations()[k] != null ? result.finalObservations()[k]
            : Arrays.copyOfRange(next, k * observationDim, (k + 1) * observationDim);
        buffer.add(row(observations, env, observationDim), row(actions, env, actionDim), (float) result.rewards()[k],
            nextObservation, result.terminated()[k]);
        numTimesteps++;
        if (trainingAllowed()) {
          limiter.inserted(1);
        }
        if (normalizer != null) {
          normalizer.update(nextObservation);
        }
        episodeReturns[env] += result.rewards()[k];
        episodeLengths[env]++;
        if (result.episodeOver(k)) {
          endEpisode(env, onEpisodeEnd);
        }
      }
      System.arraycopy(next, k * observationDim, observations, env * observationDim, observationDim);
    }
  }

  private void endEpisode(int env, IntConsumer onEpisodeEnd) {
    if (episodeLengths[env] > 0) {
      episodes++;
      recorder.recordEpisode(numTimesteps, episodes, episodeReturns[env], episodeLengths[env], env,
          limiter.achieved());
    }
    episodeReturns[env] = 0;
    episodeLengths[env] = 0;
    unobserved[env] = true;
    onEpisodeEnd.accept(env);
  }

  private static float[] row(float[] rows, int index, int width) {
    return Arrays.copyOfRange(rows, index * width, (index + 1) * width);
  }

  /** Whether updates may run: past {@code learningStarts} and, after resuming without a buffer, refilled. */
  synchronized boolean trainingAllowed() {
    return numTimesteps > learningStarts && buffer.size() > refillTarget;
  }

  /** Samples a batch uniformly, normalised with the current statistics. */
  synchronized void sample(Batch batch, Random random) {
    buffer.sample(batch, random);
    if (normalizer != null) {
      normalizer.normalizeRowsInPlace(batch.observations());
      normalizer.normalizeRowsInPlace(batch.nextObservations());
    }
  }

  /** Counts a gradient step into the metrics rows and the replay ratio. */
  synchronized void recordUpdate(UpdateMetrics metrics) {
    recorder.recordUpdate(metrics);
    limiter.sampled();
  }

  /** Leaves {@code nanos} out of the current metrics row's env-steps/s. */
  synchronized void excludeFromTiming(long nanos) {
    recorder.exclude(nanos);
  }

  /** Transitions stored so far (readable from any thread). */
  long numTimesteps() {
    return numTimesteps;
  }

  /** Episodes finished so far. */
  synchronized long episodes() {
    return episodes;
  }

  /** Episodes ended because their env was lost. */
  synchronized long interruptedEpisodes() {
    return interruptedEpisodes;
  }

  /** The last finished episode's return, NaN before the first. */
  synchronized double lastReturn() {
    return recorder.lastReturn();
  }

  /** The mean return of the last few episodes, NaN before the first. */
  synchronized double meanReturn() {
    return recorder.meanReturn();
  }

  /** The saved form of the observation statistics, or null without normalisation. */
  synchronized Checkpoint.NormalizerState normalizerState() {
    return normalizer == null ? null : Checkpoint.NormalizerState.of(normalizer.stats());
  }
}
