package io.gymlink.train;

import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.LearnerState;
import io.gymlink.td3.Td3;
import java.nio.file.Path;

/**
 * The state of one training session, built from the config and restored from a checkpoint: the learner, the two
 * RNGs, the observation statistics, the replay buffer with its {@link ExperienceStore}, the replay-ratio counts and
 * the session's counters. The {@link Trainer}'s loop drives it; {@link TrainingCallback}s read it (SB3 hands them the
 * model), only while the run is at rest.
 */
final class TrainingRun {

  /** Batches' worth of transitions collected before updating again after resuming without a replay buffer. */
  private static final int REFILL_BATCHES = 10;

  private final RunConfig config;
  private final RunContext context;
  private final BoxSpace observationSpace;
  private final BoxSpace actionSpace;
  private final SplitMix64Random random;
  private final SplitMix64Random learnerRandom;
  private final Td3 learner;
  private final ObservationNormalizer normalizer;
  private final DeterministicPolicy policy;
  private final ReplayBuffer buffer;
  private final ReplayRatioLimiter limiter;
  private final ExperienceStore store;
  private final Batch batch;
  private boolean resumed;
  private long initialStep;
  private long initialUpdates;
  private volatile boolean stopRequested;
  private MetricsWriter metrics;
  private long excludedNanos;

  /** A fresh run: networks initialised from the seed, an empty buffer. */
  TrainingRun(RunConfig config, RunContext context, BoxSpace observationSpace, BoxSpace actionSpace) {
    this.config = config;
    this.context = context;
    this.observationSpace = observationSpace;
    this.actionSpace = actionSpace;
    OffPolicyConfig offPolicy = config.offPolicy();
    int observationDim = observationSpace.size();
    this.random = new SplitMix64Random(config.train().seed());
    this.learnerRandom = random.split();
    this.learner = new Td3(observationDim, actionSpace, config.td3(), learnerRandom);
    this.normalizer = offPolicy.normalizeObservations() ? new ObservationNormalizer(observationDim) : null;
    this.policy = new DeterministicPolicy(learner, normalizer);
    this.buffer = new ReplayBuffer(offPolicy.bufferSize(), observationDim, actionSpace.size());
    this.limiter = ReplayRatioLimiter.of(offPolicy);
    this.store = new ExperienceStore(buffer, normalizer, limiter, offPolicy.numEnvs(), offPolicy.learningStarts());
    this.batch = Batch.allocate(config.td3().batchSize(), observationDim, actionSpace.size());
  }

  /**
   * Continues from {@code checkpoint} (read from {@code source}): learner, RNGs, statistics, counters and, when
   * saved, the replay buffer; without one, updates wait for a short refill.
   *
   * @throws CheckpointMismatchException if the env differs from the checkpoint's
   */
  void restore(Path source, Checkpoint checkpoint) {
    int observationDim = observationSpace.size();
    checkpoint.checkCompatible(source.toString(), config.train().envId(), observationDim, actionSpace);
    learner.load(new LearnerState(observationDim, actionSpace.size(), checkpoint.learnerUpdates(),
        checkpoint.learnerArrays()));
    random.restore(checkpoint.runRng());
    learnerRandom.restore(checkpoint.learnerRng());
    if (normalizer != null && checkpoint.normalizer() != null) {
      checkpoint.normalizer().restoreInto(normalizer.stats());
    }
    store.restoreCounters(checkpoint.numTimesteps(), checkpoint.episodes());
    if (checkpoint.hasReplayBuffer()) {
      CheckpointStore.loadReplayBuffer(source, buffer);
    } else if (checkpoint.numTimesteps() > config.offPolicy().learningStarts()) {
      startRefill(checkpoint.numTimesteps());
    }
    resumed = true;
    context.progress().log("resumed from " + source + " at step " + checkpoint.numTimesteps() + " (episode "
        + checkpoint.episodes() + ", " + checkpoint.learnerUpdates() + " gradient steps, replay buffer "
        + (checkpoint.hasReplayBuffer() ? buffer.size() + " transitions" : "empty: not saved") + ")");
  }

  /**
   * After resuming without a replay buffer, collects a few batches' worth of transitions with the actor before
   * updating again: updates on a nearly empty buffer would overfit a handful of transitions, but refilling all of
   * {@code learningStarts} can eat the rest of a run (SB3 does not refill at all).
   */
  private void startRefill(long step) {
    OffPolicyConfig offPolicy = config.offPolicy();
    int refillTarget = Math.min(Math.min(offPolicy.learningStarts(), REFILL_BATCHES * batch.size()),
        offPolicy.bufferSize() - 1);
    store.refillUntil(refillTarget);
    long remaining = config.train().totalTimesteps() - step;
    context.progress().log("replay buffer not saved in the checkpoint: collecting " + refillTarget
        + " transitions with the actor before updates resume");
    if (refillTarget >= remaining) {
      context.progress().log("WARNING: the " + remaining + " steps left in this run are fewer than the "
          + refillTarget + " transitions of the refill, so this session makes no gradient step; give a larger"
          + " --steps or keep the replay buffer in checkpoints (saveReplayBuffer=true)");
    }
  }

  /** Marks the start of the session: its first step and gradient step count, and its CSV files. */
  void startSession(MetricsWriter writer) {
    this.metrics = writer;
    this.initialStep = store.numTimesteps();
    this.initialUpdates = learner.updates();
  }

  /** Everything needed to continue this run; call while the run is at rest. */
  Checkpoint snapshot() {
    LearnerState state = learner.state();
    return new Checkpoint(config.train().envId(), observationSpace.size(), observationSpace.toString(),
        actionSpace, config, store.numTimesteps(), store.episodes(), random.state(), learnerRandom.state(),
        state.updates(), state.arrays(), store.normalizerState(), savesReplayBuffer(), context.versions());
  }

  /** Whether checkpoints carry the replay buffer (saveReplayBuffer true, or auto and a full buffer fits). */
  boolean savesReplayBuffer() {
    return config.train().saveReplayBuffer().saves(buffer.bytesAtCapacity());
  }

  RunConfig config() {
    return config;
  }

  RunContext context() {
    return context;
  }

  /** The observation space of one training env. */
  BoxSpace observationSpace() {
    return observationSpace;
  }

  /** The action space of one training env. */
  BoxSpace actionSpace() {
    return actionSpace;
  }

  /** Warm-up actions, exploration noise and replay sampling (synchronous collection). */
  SplitMix64Random random() {
    return random;
  }

  Td3 learner() {
    return learner;
  }

  /** The observation statistics, or null without normalisation. */
  ObservationNormalizer normalizer() {
    return normalizer;
  }

  /** The greedy policy being trained (frozen statistics, no noise). */
  DeterministicPolicy policy() {
    return policy;
  }

  ReplayBuffer buffer() {
    return buffer;
  }

  ReplayRatioLimiter limiter() {
    return limiter;
  }

  ExperienceStore store() {
    return store;
  }

  /** The batch gradient steps sample into. */
  Batch batch() {
    return batch;
  }

  /** Environment steps (transitions) collected so far. */
  long numTimesteps() {
    return store.numTimesteps();
  }

  /** Whether this session continues a checkpoint. */
  boolean resumed() {
    return resumed;
  }

  /** The step this session started at. */
  long initialStep() {
    return initialStep;
  }

  /** Gradient steps this session. */
  long gradientStepsThisSession() {
    return learner.updates() - initialUpdates;
  }

  /** Gradient steps per transition collected since updates began this session; NaN before the first. */
  double replayRatio() {
    return limiter.achieved();
  }

  /** Whether a stop was requested (Ctrl-C). */
  boolean stopRequested() {
    return stopRequested;
  }

  void requestStop() {
    stopRequested = true;
  }

  /** Waits up to {@code nanos} for a stop request; whether one came. */
  boolean awaitStopRequest(long nanos) {
    long deadline = System.nanoTime() + nanos;
    while (!stopRequested && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return stopRequested;
  }

  /** The CSV files of the run. */
  MetricsWriter metrics() {
    return metrics;
  }

  /** Leaves {@code nanos} (an evaluation, a checkpoint) out of the run's env-steps/s. */
  void excludeFromTiming(long nanos) {
    excludedNanos += nanos;
    store.excludeFromTiming(nanos);
  }

  /** Time left out of the env-steps/s so far. */
  long excludedNanos() {
    return excludedNanos;
  }
}
