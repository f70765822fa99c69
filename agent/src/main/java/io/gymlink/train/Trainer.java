package io.gymlink.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gymlink.buffer.Batch;
import io.gymlink.buffer.ReplayBuffer;
import io.gymlink.env.Env;
import io.gymlink.env.EnvException;
import io.gymlink.env.StepResult;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.noise.ActionNoise;
import io.gymlink.noise.NormalActionNoise;
import io.gymlink.noise.OrnsteinUhlenbeckActionNoise;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.ActionScaler;
import io.gymlink.td3.LearnerState;
import io.gymlink.td3.Td3;
import io.gymlink.td3.UpdateMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains a {@link Td3} on an {@link Env}: the off-policy loop of SB3's {@code OffPolicyAlgorithm.learn}
 * (collect a step, store it, update, evaluate, checkpoint, log), for DDPG (Lillicrap et al. 2016, "Continuous
 * control with deep reinforcement learning") and TD3.
 *
 * <p>Seeding: the training env's first reset gets the run's seed, later resets none (as SB3); warm-up actions,
 * exploration noise and replay sampling draw from one {@link SplitMix64Random} seeded with it, the learner from a
 * second one split from it. Both are saved in checkpoints. A resumed run starts a fresh episode (the env's own state
 * cannot be saved), reset with seed {@code seed + step}.
 */
public final class Trainer {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Batches' worth of transitions collected before updating again after resuming without a replay buffer. */
  private static final int REFILL_BATCHES = 10;

  /** How long an env error waits for a concurrent stop request (Ctrl-C) before it counts as an error. */
  private static final long STOP_REQUEST_GRACE_MILLIS = 1000;

  private final RunConfig config;
  private final TrainConfig train;
  private final OffPolicyConfig offPolicy;
  private final Env env;
  private final Evaluator evaluator;
  private final RunContext context;
  private final ProgressReporter progress;
  private final BoxSpace actionSpace;
  private final int observationDim;
  private final ActionScaler scaler;
  private final SplitMix64Random random;
  private final SplitMix64Random learnerRandom;
  private final Td3 learner;
  private final ObservationNormalizer normalizer;
  private final DeterministicPolicy policy;
  private final ReplayBuffer buffer;
  private final Batch batch;
  private final ActionNoise noise;
  private final long initialStep;
  private final long initialUpdates;

  private volatile boolean stopRequested;
  private long numTimesteps;
  private long episodes;
  private Long nextResetSeed;
  private float[] observation;
  private double episodeReturn;
  private int episodeLength;
  private MetricsWriter metrics;
  private EpisodeRecorder recorder;
  private EvaluationResult lastEvaluation;
  private long lastCheckpointStep = -1;
  /** Updates wait until the buffer holds more than this many transitions (a refill after resuming without one). */
  private int refillTarget;
  private boolean trainingAnnounced;
  private java.util.function.Consumer<UpdateMetrics> updateObserver = m -> { };
  private long evaluationNanos;

  private Trainer(RunConfig config, Env env, Env evalEnv, RunContext context, Path resumeFrom, Checkpoint checkpoint) {
    this.config = config;
    this.train = config.train();
    this.offPolicy = config.offPolicy();
    this.env = env;
    this.context = context;
    this.progress = context.progress();
    this.actionSpace = DdpgSpaces.requireBoundedBoxActions(train.envId(), env.actionSpace());
    this.observationDim = DdpgSpaces.requireBoxObservations(train.envId(), env.observationSpace()).size();
    this.scaler = new ActionScaler(actionSpace);
    this.random = new SplitMix64Random(train.seed());
    this.learnerRandom = random.split();
    this.learner = new Td3(observationDim, actionSpace, config.td3(), learnerRandom);
    this.normalizer = offPolicy.normalizeObservations() ? new ObservationNormalizer(observationDim) : null;
    this.policy = new DeterministicPolicy(learner, normalizer);
    this.buffer = new ReplayBuffer(offPolicy.bufferSize(), observationDim, actionSpace.size());
    this.batch = Batch.allocate(config.td3().batchSize(), observationDim, actionSpace.size());
    this.noise = createNoise(offPolicy, actionSpace.size(), random);
    this.evaluator = new Evaluator(evalEnv, train.evalEpisodes(), train.seed() + Evaluator.SEED_OFFSET);
    this.nextResetSeed = train.seed();
    if (checkpoint != null) {
      restore(resumeFrom, checkpoint);
    }
    this.initialStep = numTimesteps;
    this.initialUpdates = learner.updates();
  }

  /** A new run. */
  public static Trainer start(RunConfig config, Env env, Env evalEnv, RunContext context) {
    return new Trainer(config, env, evalEnv, context, null, null);
  }

  /**
   * A run that continues from {@code checkpoint} (read from {@code source}); {@code config} is the checkpoint's,
   * possibly with a larger {@code totalTimesteps}.
   *
   * @throws CheckpointMismatchException if the env differs from the checkpoint's
   */
  public static Trainer resume(
      Path source, Checkpoint checkpoint, RunConfig config, Env env, Env evalEnv, RunContext context) {
    return new Trainer(config, env, evalEnv, context, source, checkpoint);
  }

  /** What a finished run reports. */
  public record Result(
      EvaluationResult finalEvaluation, long steps, long stepsThisSession, double wallSeconds,
      double stepsPerSecond, Path runDir, boolean interrupted) {}

  /**
   * Asks a running {@link #run()} to stop after the current step and write a checkpoint (e.g. on Ctrl-C); an env
   * error after the request (the local server is stopping too) ends the loop the same way. Thread-safe.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Trains until {@code totalTimesteps}, then evaluates, checkpoints and plots; returns the final evaluation. */
  public Result run() {
    long startNanos = System.nanoTime();
    try (MetricsWriter writer = new MetricsWriter(context.runDir(), initialStep > 0 ? initialStep : -1)) {
      metrics = writer;
      writeConfigJson();
      progress.log(String.format("%s: observation %s (dim %d), action %s", train.envId(), env.observationSpace(),
          observationDim, actionSpace));
      if (numTimesteps < offPolicy.learningStarts()) {
        progress.log("warm-up: uniformly random actions until step " + offPolicy.learningStarts());
      }
      recorder = new EpisodeRecorder(writer, numTimesteps, System::nanoTime);
      progress.start(numTimesteps, train.totalTimesteps());
      while (numTimesteps < train.totalTimesteps() && !stopRequested) {
        try {
          step();
        } catch (EnvException e) {
          // Env calls fail between two consistent states. On Ctrl-C the local server's shutdown hook may stop the
          // server before the stop request arrives, so give the request a moment before calling this an error.
          if (!awaitStopRequest(STOP_REQUEST_GRACE_MILLIS)) {
            checkpointBeforeFailing(e);
            throw e;
          }
        }
      }
      progress.close();
      if (stopRequested) {
        progress.log("stopping at step " + numTimesteps + " as requested; resume with --resume "
            + context.runDir());
      } else if (lastEvaluation == null || lastEvaluation.step() != numTimesteps) {
        evaluate();
      }
      if (lastCheckpointStep != numTimesteps) {
        checkpoint();
      }
    }
    double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
    double trainingSeconds = wallSeconds - evaluationNanos / 1e9;
    Result result = new Result(lastEvaluation, numTimesteps, numTimesteps - initialStep, wallSeconds,
        (numTimesteps - initialStep) / Math.max(1e-9, trainingSeconds), context.runDir(), stopRequested);
    if (!stopRequested) {
      // Not while the JVM shuts down (Ctrl-C): AWT cannot start then. The resumed run draws the whole curve.
      writePlot();
    }
    progress.log(String.format(java.util.Locale.ROOT,
        "%s: %d steps in %.1f s (%.1f env-steps/s excluding evaluation), %d gradient steps this session; last"
            + " evaluation %s",
        stopRequested ? "stopped" : "done", result.steps(), wallSeconds, result.stepsPerSecond(),
        learner.updates() - initialUpdates, lastEvaluation == null ? "none" : lastEvaluation.summary()));
    return result;
  }

  private boolean awaitStopRequest(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!stopRequested && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return stopRequested;
      }
    }
    return stopRequested;
  }

  /** One environment step of the off-policy loop, phase by phase. */
  void step() {
    if (observation == null) {
      startEpisode();
    }
    // Collect: uniformly random actions during warm-up, then the actor's; exploration noise on both, as in SB3.
    float[] action = chooseAction(observation);
    StepResult result = env.step(new BoxValue(action, actionSpace.shape()));
    numTimesteps++;
    float[] nextObservation = result.observation().asBox().data();

    // Store: only `terminated` stops bootstrapping; on a time-limit truncation nextObservation is the true final
    // observation (the env has not been reset yet), so the target bootstraps through it.
    buffer.add(observation, action, (float) result.reward(), nextObservation, result.terminated());
    if (normalizer != null) {
      normalizer.update(nextObservation);
    }
    episodeReturn += result.reward();
    episodeLength++;
    if (result.episodeOver()) {
      finishEpisode();
    } else {
      observation = nextObservation;
    }

    // Update: every trainFreq steps once past learningStarts; gradientSteps -1 means one per step collected.
    if (numTimesteps > offPolicy.learningStarts() && numTimesteps % offPolicy.trainFreq() == 0
        && buffer.size() > refillTarget) {
      if (!trainingAnnounced) {
        trainingAnnounced = true;
        progress.log("training: " + offPolicy.gradientStepsPerPhase()
            + " gradient step(s) every " + offPolicy.trainFreq() + " env step(s), exploration "
            + (noise == null ? "none" : noise.toString()));
      }
      update(offPolicy.gradientStepsPerPhase());
    }

    // Evaluate and checkpoint on schedule.
    if (train.evalFreq() > 0 && numTimesteps % train.evalFreq() == 0) {
      evaluate();
    }
    if (train.checkpointFreq() > 0 && numTimesteps % train.checkpointFreq() == 0) {
      checkpoint();
    }

    // Log.
    progress.update(numTimesteps, recorder.lastReturn(), recorder.meanReturn());
  }

  /** The deterministic policy being trained (frozen normaliser, no noise). */
  public DeterministicPolicy policy() {
    return policy;
  }

  /** Sees every gradient step's metrics, e.g. for a determinism test. */
  void onUpdate(java.util.function.Consumer<UpdateMetrics> observer) {
    this.updateObserver = observer;
  }

  /** Environment steps taken so far. */
  public long numTimesteps() {
    return numTimesteps;
  }

  private float[] chooseAction(float[] obs) {
    float[] scaled = numTimesteps < offPolicy.learningStarts()
        ? scaler.scale(actionSpace.sample(random).data())
        : scaler.scale(policy.apply(obs));
    if (noise != null) {
      ActionScaler.addNoiseAndClip(scaled, noise.sample());
    }
    return scaler.unscale(scaled);
  }

  private void startEpisode() {
    observation = env.reset(nextResetSeed, Map.of()).observation().asBox().data();
    nextResetSeed = null;
    if (normalizer != null) {
      normalizer.update(observation);
    }
    episodeReturn = 0;
    episodeLength = 0;
  }

  private void finishEpisode() {
    episodes++;
    recorder.recordEpisode(numTimesteps, episodes, episodeReturn, episodeLength);
    if (noise != null) {
      noise.reset();
    }
    observation = null;
  }

  private void update(int gradientSteps) {
    for (int i = 0; i < gradientSteps; i++) {
      buffer.sample(batch, random);
      if (normalizer != null) {
        normalizer.normalizeRowsInPlace(batch.observations());
        normalizer.normalizeRowsInPlace(batch.nextObservations());
      }
      UpdateMetrics result = learner.train(batch);
      recorder.recordUpdate(result);
      updateObserver.accept(result);
    }
  }

  private void evaluate() {
    long start = System.nanoTime();
    progress.log("evaluating at step " + numTimesteps + ": " + train.evalEpisodes() + " deterministic episode(s)");
    lastEvaluation = evaluator.evaluate(numTimesteps, policy);
    metrics.write(lastEvaluation);
    progress.log("evaluation at step " + numTimesteps + ": return " + lastEvaluation.summary());
    long elapsed = System.nanoTime() - start;
    evaluationNanos += elapsed;
    recorder.exclude(elapsed);
  }

  /** Keeps the work since the last checkpoint when the env fails for good (e.g. its server died). */
  private void checkpointBeforeFailing(EnvException cause) {
    progress.close();
    progress.log("env failed at step " + numTimesteps + ": " + cause.getMessage());
    if (lastCheckpointStep != numTimesteps) {
      try {
        checkpoint();
        progress.log("continue with: gymlink train --resume " + context.runDir());
      } catch (RuntimeException e) {
        // The env error is what the user must see; a checkpoint that cannot be written is reported beside it.
        progress.log("could not write a checkpoint after the env failed: " + e.getMessage());
      }
    }
  }

  private void checkpoint() {
    long start = System.nanoTime();
    Path dir = CheckpointStore.save(context.runDir(), snapshot(), savesReplayBuffer() ? buffer : null);
    lastCheckpointStep = numTimesteps;
    progress.log("checkpoint written to " + dir + " (step " + numTimesteps + (savesReplayBuffer()
        ? ", with " + buffer.size() + " replay transitions)" : ", without replay buffer: "
        + replayBufferOmittedBecause() + ")"));
    long elapsed = System.nanoTime() - start;
    evaluationNanos += elapsed;
    recorder.exclude(elapsed);
  }

  /** Everything needed to continue this run. */
  Checkpoint snapshot() {
    LearnerState state = learner.state();
    return new Checkpoint(train.envId(), observationDim, env.observationSpace().toString(), actionSpace, config,
        numTimesteps, episodes, random.state(), learnerRandom.state(), state.updates(), state.arrays(),
        normalizer == null ? null : Checkpoint.NormalizerState.of(normalizer.stats()), savesReplayBuffer(),
        context.versions());
  }

  private void restore(Path source, Checkpoint checkpoint) {
    checkpoint.checkCompatible(source.toString(), train.envId(), observationDim, actionSpace);
    learner.load(new LearnerState(observationDim, actionSpace.size(), checkpoint.learnerUpdates(),
        checkpoint.learnerArrays()));
    random.restore(checkpoint.runRng());
    learnerRandom.restore(checkpoint.learnerRng());
    if (normalizer != null && checkpoint.normalizer() != null) {
      checkpoint.normalizer().restoreInto(normalizer.stats());
    }
    numTimesteps = checkpoint.numTimesteps();
    episodes = checkpoint.episodes();
    if (checkpoint.hasReplayBuffer()) {
      CheckpointStore.loadReplayBuffer(source, buffer);
    } else if (numTimesteps > offPolicy.learningStarts()) {
      startRefill();
    }
    lastCheckpointStep = numTimesteps;
    nextResetSeed = train.seed() + numTimesteps;
    progress.log("resumed from " + source + " at step " + numTimesteps + " (episode " + episodes + ", "
        + checkpoint.learnerUpdates() + " gradient steps, replay buffer "
        + (checkpoint.hasReplayBuffer() ? buffer.size() + " transitions" : "empty: not saved") + ")");
  }

  /** Whether checkpoints carry the replay buffer (saveReplayBuffer true, or auto and a full buffer fits). */
  private boolean savesReplayBuffer() {
    return train.saveReplayBuffer().saves(buffer.bytesAtCapacity());
  }

  private String replayBufferOmittedBecause() {
    return train.saveReplayBuffer() == ReplayBufferSaving.NEVER ? "saveReplayBuffer=false"
        : String.format(java.util.Locale.ROOT, "a full buffer takes %.1f GiB, above the %d GiB of"
            + " saveReplayBuffer=auto; set saveReplayBuffer=true to keep it", buffer.bytesAtCapacity() / 1073741824.0,
            ReplayBufferSaving.AUTO_LIMIT_BYTES >> 30);
  }

  /**
   * After resuming without a replay buffer, collects a few batches' worth of transitions with the actor before
   * updating again: updates on a nearly empty buffer would overfit a handful of transitions, but refilling all of
   * {@code learningStarts} can eat the rest of a run (SB3 does not refill at all).
   */
  private void startRefill() {
    refillTarget = Math.min(Math.min(offPolicy.learningStarts(), REFILL_BATCHES * batch.size()),
        offPolicy.bufferSize() - 1);
    long remaining = train.totalTimesteps() - numTimesteps;
    progress.log("replay buffer not saved in the checkpoint: collecting " + refillTarget
        + " transitions with the actor before updates resume");
    if (refillTarget >= remaining) {
      progress.log("WARNING: the " + remaining + " steps left in this run are fewer than the " + refillTarget
          + " transitions of the refill, so this session makes no gradient step; give a larger --steps or keep"
          + " the replay buffer in checkpoints (saveReplayBuffer=true)");
    }
  }

  private void writeConfigJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("envId", train.envId());
    json.put("observationSpace", env.observationSpace().toString());
    json.put("actionSpace", actionSpace.toString());
    json.put("server", context.server());
    json.put("config", config.toMap());
    json.put("versions", context.versions());
    if (initialStep > 0) {
      json.put("resumedAtStep", initialStep);
    }
    try {
      JSON.writeValue(context.runDir().resolve("config.json").toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + context.runDir().resolve("config.json") + ": "
          + e.getMessage(), e);
    }
  }

  private void writePlot() {
    try {
      Path png = LearningCurvePlot.write(context.runDir(), train.envId() + " " + config.td3().algorithmName() + ", seed " + train.seed());
      progress.log("learning curve written to " + png);
    } catch (IOException | RuntimeException e) {
      // A missing plot must not lose a finished run; the CSV files hold the same data.
      progress.log("could not draw the learning curve: " + e);
    }
  }

  private static ActionNoise createNoise(OffPolicyConfig offPolicy, int dim, SplitMix64Random random) {
    return switch (offPolicy.actionNoise()) {
      case NONE -> null;
      case NORMAL -> NormalActionNoise.isotropic(dim, offPolicy.actionNoiseSigma(), random);
      case ORNSTEIN_UHLENBECK -> OrnsteinUhlenbeckActionNoise.isotropic(dim, offPolicy.actionNoiseSigma(), random);
    };
  }
}
