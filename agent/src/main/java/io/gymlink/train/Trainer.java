package io.gymlink.train;

import io.gymlink.env.Env;
import io.gymlink.env.EnvException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.td3.UpdateMetrics;
import io.gymlink.vector.SyncVectorEnv;
import io.gymlink.vector.VectorEnv;
import io.gymlink.vector.VectorStepResult;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains a {@link io.gymlink.td3.Td3} on a {@link VectorEnv}: the off-policy loop of SB3's
 * {@code OffPolicyAlgorithm.learn} for DDPG (Lillicrap et al. 2016) and TD3 (Fujimoto et al. 2018). Synchronously,
 * each vector step collects one transition per env ({@code collect_rollouts}) and every {@code trainFreq} vector
 * steps the learner trains ({@code train}); with {@code asyncCollection} an {@link AsyncCollector} thread collects
 * while this thread trains at the replay ratio. Evaluation, checkpoints, run files and log lines are
 * {@link TrainingCallback}s; the run's state is a {@link TrainingRun}.
 *
 * <p>Seeding: the envs' first reset gets the run's seed (env i: seed + i), later resets none (as SB3); warm-up
 * actions, exploration noise and replay sampling draw from one {@link io.gymlink.random.SplitMix64Random} seeded with it, the learner
 * from a second one split from it; both are saved in checkpoints. A resumed run starts fresh episodes, reset with
 * seed {@code seed + step}. Synchronous runs are bit-reproducible. Asynchronous ones are not: which transitions a
 * gradient step may sample depends on thread timing (the collector draws from a third generator split off).
 */
public final class Trainer {

  /** How long an env error waits for a concurrent stop request (Ctrl-C) before it counts as an error. */
  private static final long STOP_REQUEST_GRACE_NANOS = 1_000_000_000;
  /** How long the asynchronous learner waits for transitions before it looks at the collector again. */
  private static final long LEARNER_WAIT_NANOS = 20_000_000;

  private final TrainingRun run;
  private final OffPolicyConfig offPolicy;
  private final long totalTimesteps;
  private final VectorEnv envs;
  private final ProgressReporter progress;
  private final ExperienceStore store;
  private final ActionSampler sampler;
  private final EvalCallback evaluation;
  private final List<TrainingCallback> callbacks;
  private long vectorSteps;
  /** Transitions and ended episodes since the last training phase (SB3's rollout of one collect_rollouts). */
  private int phaseTransitions;
  private int phaseEpisodes;
  private boolean updatesStarted;
  private Consumer<UpdateMetrics> updateObserver = m -> { };

  private Trainer(RunConfig config, VectorEnv envs, Env evalEnv, RunContext context, Path source,
      Checkpoint checkpoint) {
    TrainConfig train = config.train();
    this.offPolicy = config.offPolicy();
    this.totalTimesteps = train.totalTimesteps();
    if (envs.numEnvs() != offPolicy.numEnvs()) {
      throw new IllegalArgumentException("numEnvs is " + offPolicy.numEnvs() + ", but the vector env has "
          + envs.numEnvs() + " envs");
    }
    this.run = new TrainingRun(config, context, DdpgSpaces.requireBoxObservations(train.envId(),
        envs.singleObservationSpace()), DdpgSpaces.requireBoundedBoxActions(train.envId(), envs.singleActionSpace()));
    this.envs = envs;
    this.progress = context.progress();
    this.store = run.store();
    this.sampler = new ActionSampler(run.actionSpace(), offPolicy, run.normalizer(), run.random());
    this.evaluation = new EvalCallback(new Evaluator(evalEnv, train.evalEpisodes(), train.seed()
        + Evaluator.SEED_OFFSET), train.evalFreq(), train.evalEpisodes(), progress);
    this.callbacks = List.of(new LogCallback(progress, sampler.describeNoise()), evaluation,
        new CheckpointCallback(train.checkpointFreq(), train.saveReplayBuffer(), progress),
        new RunFilesCallback(progress));
    if (checkpoint != null) {
      run.restore(source, checkpoint);
    }
  }

  /** A new run on {@code envs} ({@code numEnvs} of them), evaluated on {@code evalEnv}. */
  public static Trainer start(RunConfig config, VectorEnv envs, Env evalEnv, RunContext context) {
    return new Trainer(config, envs, evalEnv, context, null, null);
  }

  /** A new run on one env, as a one-env {@link SyncVectorEnv} (closing that closes {@code env}). */
  public static Trainer start(RunConfig config, Env env, Env evalEnv, RunContext context) {
    return new Trainer(config, single(config, env), evalEnv, context, null, null);
  }

  /**
   * A run that continues from {@code checkpoint} (read from {@code source}); {@code config} is the checkpoint's,
   * possibly with a larger {@code totalTimesteps} or other collection settings.
   *
   * @throws CheckpointMismatchException if the env differs from the checkpoint's
   */
  public static Trainer resume(
      Path source, Checkpoint checkpoint, RunConfig config, VectorEnv envs, Env evalEnv, RunContext context) {
    return new Trainer(config, envs, evalEnv, context, source, checkpoint);
  }

  /** As {@link #resume(Path, Checkpoint, RunConfig, VectorEnv, Env, RunContext)}, on one env. */
  public static Trainer resume(
      Path source, Checkpoint checkpoint, RunConfig config, Env env, Env evalEnv, RunContext context) {
    return new Trainer(config, single(config, env), evalEnv, context, source, checkpoint);
  }

  private static VectorEnv single(RunConfig config, Env env) {
    DdpgSpaces.requireBoundedBoxActions(config.train().envId(), env.actionSpace());
    DdpgSpaces.requireBoxObservations(config.train().envId(), env.observationSpace());
    return new SyncVectorEnv(List.of(env));
  }

  /**
   * What a finished run reports.
   *
   * @param finalEvaluation the session's last evaluation, or null when stopped before one
   * @param steps environment steps (transitions) of the whole run
   * @param stepsThisSession environment steps of this session
   * @param wallSeconds this session's wall time
   * @param stepsPerSecond this session's env-steps/s, evaluations and checkpoints excluded
   * @param gradientSteps gradient steps of this session
   * @param replayRatio gradient steps per transition since updates began this session, NaN if none
   * @param learnerWaitSeconds asynchronous collection: how long the learner waited for transitions (0 if sync)
   * @param collectorWaitSeconds asynchronous collection: how long collection waited for the learner (0 if sync)
   * @param runDir the run directory
   * @param interrupted whether a stop request ended the session
   */
  public record Result(
      EvaluationResult finalEvaluation, long steps, long stepsThisSession, double wallSeconds,
      double stepsPerSecond, long gradientSteps, double replayRatio, double learnerWaitSeconds,
      double collectorWaitSeconds, Path runDir, boolean interrupted) {}

  /**
   * Asks a running {@link #run()} to stop after the current step and write a checkpoint (e.g. on Ctrl-C); an env
   * error after the request (the local server is stopping too) ends the loop the same way. Thread-safe.
   */
  public void requestStop() {
    run.requestStop();
  }

  /** Trains until {@code totalTimesteps}, then evaluates, checkpoints and plots; returns the final evaluation. */
  public Result run() {
    long startNanos = System.nanoTime();
    try (MetricsWriter writer = new MetricsWriter(run.context().runDir(), run.resumed() ? run.numTimesteps() : -1)) {
      run.startSession(writer);
      vectorSteps = run.initialStep() / offPolicy.numEnvs();
      callbacks.forEach(c -> c.onTrainingStart(run));
      progress.start(run.initialStep(), totalTimesteps);
      try {
        long seed = run.config().train().seed() + run.initialStep();
        store.start(envs.reset(seed), new EpisodeRecorder(writer, run.initialStep(), System::nanoTime));
        if (offPolicy.asyncCollection()) {
          trainAsynchronously();
        } else {
          while (run.numTimesteps() < totalTimesteps && !run.stopRequested()) {
            step();
          }
        }
      } catch (EnvException e) {
        // Env calls fail between two consistent states. On Ctrl-C the local server's shutdown hook may stop the
        // server before the stop request arrives, so give the request a moment before calling this an error.
        if (!run.awaitStopRequest(STOP_REQUEST_GRACE_NANOS)) {
          callbacks.forEach(c -> c.onFailure(run, e));
          throw e;
        }
      }
      progress.close();
      callbacks.forEach(c -> c.onTrainingEnd(run));
    }
    return summarize((System.nanoTime() - startNanos) / 1e9);
  }

  /** One vector step of the synchronous loop, phase by phase (SB3's collect_rollouts, then train). */
  void step() {
    // Collect: uniformly random actions during warm-up, then the actor's (one batched forward pass for the N
    // observations); each env's own exploration noise on both, as in SB3.
    int[] all = IntStream.range(0, envs.numEnvs()).toArray();
    BoxValue actions = sampler.sample(store.observationsOf(all), all,
        run.numTimesteps() < offPolicy.learningStarts(), run.learner()::predict);
    store.setActions(all, actions.data());
    VectorStepResult result = envs.step(actions);
    vectorSteps++;

    // Store: an ended episode keeps its true final observation; only `terminated` stops bootstrapping.
    store.store(result, sampler::episodeEnded);

    // Update: every trainFreq vector steps (or ended episodes) once past learningStarts transitions; gradientSteps
    // -1 means one per transition the phase collected.
    phaseTransitions += result.size();
    phaseEpisodes += result.episodesEnded();
    boolean phaseOver = offPolicy.trainFreqUnit() == TrainFreqUnit.STEP ? vectorSteps % offPolicy.trainFreq() == 0
        : phaseEpisodes >= offPolicy.trainFreq();
    if (phaseOver) {
      if (store.trainingAllowed()) {
        train(offPolicy.gradientStepsPerPhase(offPolicy.trainFreqUnit() == TrainFreqUnit.STEP
            ? offPolicy.trainFreq() * offPolicy.numEnvs() : phaseTransitions));
      }
      phaseTransitions = 0;
      phaseEpisodes = 0;
    }

    // Evaluate, checkpoint: the callbacks. Then the progress display.
    callbacks.forEach(c -> c.onStep(run));
    progress.update(run.numTimesteps(), store.lastReturn(), store.meanReturn());
  }

  /** The learner's side of asynchronous collection: one gradient step whenever the replay ratio owes one. */
  private void trainAsynchronously() {
    ActorExchange actors = new ActorExchange(run.learner());
    AsyncCollector collector = new AsyncCollector(envs, store, new ActionSampler(run.actionSpace(), offPolicy,
        run.normalizer(), run.random().split()), actors, run.limiter(), totalTimesteps,
        offPolicy.learningStarts(), nextDue());
    collector.start();
    try {
      while (!run.stopRequested()) {
        rethrowFailure(collector);
        boolean finished = collector.finished();
        if (run.limiter().awaitOwed(finished ? 0 : LEARNER_WAIT_NANOS, collector::atRest)) {
          train(1);
          actors.publish(run.learner());
        } else if (collector.atRest()) {
          // Paused at a due step, or done: evaluations and checkpoints see the run at rest.
          collector.pause();
          rethrowFailure(collector);
          callbacks.forEach(c -> c.onStep(run));
          if (finished) {
            break;
          }
          collector.resume(nextDue());
        }
        progress.update(run.numTimesteps(), store.lastReturn(), store.meanReturn());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.requestStop();
    } finally {
      try {
        collector.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void rethrowFailure(AsyncCollector collector) {
    if (collector.failure() instanceof RuntimeException e) {
      throw e;
    } else if (collector.failure() instanceof Error e) {
      throw e;
    }
  }

  private void train(int gradientSteps) {
    if (!updatesStarted) {
      updatesStarted = true;
      callbacks.forEach(c -> c.onFirstUpdate(run));
    }
    for (int i = 0; i < gradientSteps; i++) {
      store.sample(run.batch(), run.random());
      UpdateMetrics result = run.learner().train(run.batch());
      store.recordUpdate(result);
      updateObserver.accept(result);
    }
  }

  /** The first step count at which a callback has work. */
  private long nextDue() {
    return callbacks.stream().mapToLong(TrainingCallback::nextDue).min().orElse(Long.MAX_VALUE);
  }

  private Result summarize(double wallSeconds) {
    long steps = run.numTimesteps();
    long session = steps - run.initialStep();
    Result result = new Result(evaluation.lastEvaluation(), steps, session, wallSeconds,
        session / Math.max(1e-9, wallSeconds - run.excludedNanos() / 1e9), run.gradientStepsThisSession(),
        run.replayRatio(), run.limiter().learnerWaitSeconds(), run.limiter().collectorWaitSeconds(),
        run.context().runDir(), run.stopRequested());
    progress.log(LogCallback.summary(run, result));
    return result;
  }

  /** The deterministic policy being trained (frozen normaliser, no noise). */
  public DeterministicPolicy policy() {
    return run.policy();
  }

  /** Environment steps (transitions) collected so far. */
  public long numTimesteps() {
    return run.numTimesteps();
  }

  /** Sees every gradient step's metrics, e.g. for a determinism test; called from the learner's thread. */
  void onUpdate(Consumer<UpdateMetrics> observer) {
    this.updateObserver = observer;
  }
}
