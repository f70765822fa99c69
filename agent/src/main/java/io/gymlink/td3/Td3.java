package io.gymlink.td3;

import io.gymlink.buffer.Batch;
import io.gymlink.env.spaces.BoxSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DDPG update rule (Lillicrap et al. 2016, "Continuous control with deep reinforcement learning", Algorithm 1)
 * with TD3's three additions (Fujimoto et al. 2018) behind flags, as Stable-Baselines3's {@code TD3.train}.
 *
 * <p>The actor is an MLP with a tanh output in [-1, 1], rescaled to the Box bounds for the environment; the critic
 * sees concat(observation, action in [-1, 1]). The critic regresses on y = r + gamma * (1 - terminated) *
 * min_i Q'_i(s', clip(mu'(s') + clip(noise))), so time-limit truncations bootstrap; the actor ascends Q_1(s, mu(s))
 * with the critic held fixed; targets follow by Polyak averaging. Networks run on preallocated off-heap buffers
 * and OpenBLAS (see {@link Mlp}); {@link #predict} runs the actor in plain Java. Not thread-safe.
 */
public final class Td3 {
  private static final Logger LOG = LoggerFactory.getLogger(Td3.class);

  private final int observationDim;
  private final int actionDim;
  private final Td3Config config;
  private final GaussianNoise targetNoise;
  private final ActionScaler scaler;
  private final Mlp actor;
  private final Mlp actorTarget;
  private final Mlp[] critics;
  private final Mlp[] criticTargets;
  private final Adam actorAdam;
  private final Adam[] criticAdams;
  private final float[] predictUnit;
  private final float[] noiseState = new float[4];
  private final StateArrays stateArrays;
  private long updates;

  private int batchSize = -1;
  private float[] criticInput;
  private float[] unitActions;
  private float[] targets;
  private float[] dQ;
  private float[] dAction;

  /**
   * A learner with fresh networks initialised from {@code random}, which also seeds the target policy noise (one
   * {@code nextLong()} before the networks' draws).
   *
   * @param observationDim floats per (already normalised) observation
   * @param actionSpace the bounded Box the actor's actions live in
   */
  public Td3(int observationDim, BoxSpace actionSpace, Td3Config config, Random random) {
    if (observationDim < 1) {
      throw new IllegalArgumentException("observationDim must be at least 1, got " + observationDim);
    }
    this.observationDim = observationDim;
    this.scaler = new ActionScaler(actionSpace);
    this.actionDim = scaler.size();
    this.config = config;
    // Drawn first, so that the noise stream depends only on the seed; its state then travels in LearnerState.
    this.targetNoise = new GaussianNoise(random.nextLong());
    int[] arch = config.hiddenWidths();
    Activation hidden = Activation.named(config.activation());
    actor = new Mlp(widths(observationDim, arch, actionDim), hidden, Activation.TANH);
    actorTarget = new Mlp(widths(observationDim, arch, actionDim), hidden, Activation.TANH);
    int criticCount = config.twinCritics() ? 2 : 1;
    critics = new Mlp[criticCount];
    criticTargets = new Mlp[criticCount];
    criticAdams = new Adam[criticCount];
    actor.initialize(random);
    copyParams(actor, actorTarget);
    for (int c = 0; c < criticCount; c++) {
      critics[c] = new Mlp(widths(observationDim + actionDim, arch, 1), hidden, Activation.IDENTITY);
      criticTargets[c] = new Mlp(widths(observationDim + actionDim, arch, 1), hidden, Activation.IDENTITY);
      critics[c].initialize(random);
      copyParams(critics[c], criticTargets[c]);
      criticAdams[c] = new Adam(critics[c].params().length, config.learningRate());
    }
    actorAdam = new Adam(actor.params().length, config.learningRate());
    predictUnit = new float[actionDim];
    stateArrays = bindStateArrays();
    Blas.logRuntimeOnce();
    LOG.info("DDPG learner: actor {}, {} critic(s) {}, action bounds {}", actor.describeLayout(), criticCount,
        critics[0].describeLayout(), actionSpace);
  }

  private static int[] widths(int in, int[] hidden, int out) {
    int[] sizes = new int[hidden.length + 2];
    sizes[0] = in;
    System.arraycopy(hidden, 0, sizes, 1, hidden.length);
    sizes[sizes.length - 1] = out;
    return sizes;
  }

  private static void copyParams(Mlp from, Mlp to) {
    System.arraycopy(from.params(), 0, to.params(), 0, from.params().length);
    to.paramsChanged();
  }

  /** The deterministic actor action mu(observation), in the Box bounds; a fresh array. */
  public float[] predict(float[] observation) {
    if (observation.length != observationDim) {
      throw new IllegalArgumentException(
          "observation has " + observation.length + " floats, expected " + observationDim);
    }
    actor.forwardSingle(observation, predictUnit);
    float[] action = new float[actionDim];
    scaler.fromUnit(predictUnit, action, actionDim);
    return action;
  }

  /**
   * The deterministic actor actions of {@code rows} observations at once (row-major {@code [rows, observationDim]}
   * in, {@code [rows, actionDim]} in the Box bounds out). Row by row it equals {@link #predict(float[])} exactly.
   */
  public void predict(float[] observations, int rows, float[] actionsOut) {
    checkRows(observations, rows, actionsOut);
    float[] row = new float[observationDim];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(observations, r * observationDim, row, 0, observationDim);
      actor.forwardSingle(row, predictUnit);
      scaler.fromUnit(predictUnit, predictUnit, actionDim);
      System.arraycopy(predictUnit, 0, actionsOut, r * actionDim, actionDim);
    }
  }

  private void checkRows(float[] observations, int rows, float[] actionsOut) {
    if (observations.length != rows * observationDim || actionsOut.length != rows * actionDim) {
      throw new IllegalArgumentException("predict of " + rows + " rows needs " + rows * observationDim
          + " observation floats and room for " + rows * actionDim + " action floats, got " + observations.length
          + " and " + actionsOut.length);
    }
  }

  /**
   * A copy of the current actor that another thread can run (the asynchronous collector) while this learner keeps
   * updating; {@link ActorSnapshot#refreshFrom} brings it up to date.
   */
  public ActorSnapshot snapshotActor() {
    ActorSnapshot snapshot = new ActorSnapshot(new Mlp(actor.sizes(), Activation.named(config.activation()),
        Activation.TANH), scaler, observationDim, actionDim);
    snapshot.refreshFrom(this);
    return snapshot;
  }

  /** Copies the actor's parameters into {@code target} (same layout). */
  void copyActorInto(Mlp target) {
    copyParams(actor, target);
  }

  /** One gradient step on {@code batch}: the critic(s); the actor and the targets every policyDelay-th step. */
  public UpdateMetrics train(Batch batch) {
    if (batch.observationDim() != observationDim || batch.actionDim() != actionDim) {
      throw new IllegalArgumentException("batch has observationDim " + batch.observationDim() + ", actionDim "
          + batch.actionDim() + ", expected " + observationDim + ", " + actionDim);
    }
    int n = batch.size();
    ensureWorkspace(n);
    updates++;

    // Target: y = r + gamma * (1 - terminated) * min_i Q'_i(s', a'), a' = clip(mu'(s') + clip(noise), -1, 1).
    float[] nextActions = actorTarget.forward(batch.nextObservations(), n);
    addTargetPolicyNoise(nextActions, n * actionDim);
    concat(batch.nextObservations(), nextActions, criticInput, n);
    float[] nextQ = criticTargets[0].forward(criticInput, n);
    System.arraycopy(nextQ, 0, targets, 0, n);
    for (int c = 1; c < criticTargets.length; c++) {
      float[] q = criticTargets[c].forward(criticInput, n);
      for (int i = 0; i < n; i++) {
        targets[i] = Math.min(targets[i], q[i]);
      }
    }
    float gamma = (float) config.gamma();
    float[] rewards = batch.rewards();
    float[] terminated = batch.terminated();
    for (int i = 0; i < n; i++) {
      targets[i] = rewards[i] + gamma * (1f - terminated[i]) * targets[i];
    }

    // Critic step: minimise mean (Q(s, a) - y)^2, summed over twin critics (SB3).
    scaler.toUnit(batch.actions(), unitActions, n * actionDim);
    concat(batch.observations(), unitActions, criticInput, n);
    double criticLoss = 0;
    double meanQ = 0;
    for (int c = 0; c < critics.length; c++) {
      float[] q = critics[c].forward(criticInput, n);
      double sumSquares = 0;
      double sumQ = 0;
      for (int i = 0; i < n; i++) {
        float error = q[i] - targets[i];
        sumSquares += (double) error * error;
        sumQ += q[i];
        dQ[i] = 2f * error / n;
      }
      criticLoss += sumSquares / n;
      if (c == 0) {
        meanQ = sumQ / n;
      }
      critics[c].backward(dQ, true, 0, 0, null);
      criticAdams[c].step(critics[c].params(), critics[c].grads());
      critics[c].paramsChanged();
    }

    double actorLoss = Double.NaN;
    if (updates % config.policyDelay() == 0) {
      actorLoss = actorStep(batch, n);
      // Targets follow only after actor steps, as SB3's TD3 (and so its DDPG).
      for (int c = 0; c < critics.length; c++) {
        softUpdate(critics[c], criticTargets[c]);
      }
      softUpdate(actor, actorTarget);
    }
    return new UpdateMetrics(criticLoss, actorLoss, meanQ);
  }

  /** Actor step: maximise Q_1(s, mu(s)) through the critic, whose parameters stay fixed; returns -mean Q. */
  private double actorStep(Batch batch, int n) {
    float[] mu = actor.forward(batch.observations(), n);
    concat(batch.observations(), mu, criticInput, n);
    float[] q = critics[0].forward(criticInput, n);
    double sumQ = 0;
    for (int i = 0; i < n; i++) {
      sumQ += q[i];
    }
    Arrays.fill(dQ, 0, n, -1f / n);
    critics[0].backward(dQ, false, observationDim, actionDim, dAction);
    actor.backward(dAction, true, 0, 0, null);
    actorAdam.step(actor.params(), actor.grads());
    actor.paramsChanged();
    return -sumQ / n;
  }

  private void addTargetPolicyNoise(float[] unitActions, int length) {
    double sigma = config.targetPolicyNoise();
    if (sigma <= 0) {
      return;
    }
    double clip = config.targetNoiseClip();
    for (int i = 0; i < length; i++) {
      double noise = Math.max(-clip, Math.min(clip, targetNoise.next() * sigma));
      unitActions[i] = (float) Math.max(-1, Math.min(1, unitActions[i] + noise));
    }
  }

  private void softUpdate(Mlp source, Mlp target) {
    Polyak.update(target.params(), source.params(), config.tau());
    target.paramsChanged();
  }

  private void concat(float[] observations, float[] actions, float[] out, int n) {
    int width = observationDim + actionDim;
    for (int i = 0; i < n; i++) {
      System.arraycopy(observations, i * observationDim, out, i * width, observationDim);
      System.arraycopy(actions, i * actionDim, out, i * width + observationDim, actionDim);
    }
  }

  private void ensureWorkspace(int n) {
    if (n == batchSize) {
      return;
    }
    criticInput = new float[n * (observationDim + actionDim)];
    unitActions = new float[n * actionDim];
    targets = new float[n];
    dQ = new float[n];
    dAction = new float[n * actionDim];
    batchSize = n;
  }

  int policyDelay() {
    return config.policyDelay();
  }

  int criticCount() {
    return critics.length;
  }

  int actorParameterCount() {
    return actor.params().length;
  }

  int criticParameterCount() {
    return critics[0].params().length;
  }

  /** Gradient steps taken so far. */
  public long updates() {
    return updates;
  }

  /**
   * A copy of everything needed to continue bit-identically. Arrays, in order: actor, actor_target, critic,
   * critic_target (then critic2, critic2_target with twin critics), then the Adam moments actor.adam_m,
   * actor.adam_v, critic.adam_m, critic.adam_v (critic2.adam_m, critic2.adam_v), and target_noise.rng_state (the
   * target policy noise generator, four 16-bit words).
   */
  public LearnerState state() {
    System.arraycopy(targetNoise.stateAsFloats(), 0, noiseState, 0, noiseState.length);
    return new LearnerState(observationDim, actionDim, updates, stateArrays.snapshot());
  }

  /** Restores {@link #state()} output; refuses, naming the shapes, a state made for other dimensions or nets. */
  public void load(LearnerState state) {
    if (state.observationDim() != observationDim || state.actionDim() != actionDim) {
      throw new IllegalArgumentException("learner state is for observationDim " + state.observationDim()
          + ", actionDim " + state.actionDim() + "; this learner has observationDim " + observationDim
          + ", actionDim " + actionDim);
    }
    stateArrays.restore(state.arrays(),
        "netArch " + config.netArch() + ", twinCritics=" + config.twinCritics());
    for (Mlp net : allNetworks()) {
      net.paramsChanged();
    }
    actorAdam.setSteps(state.updates() / config.policyDelay());
    for (Adam adam : criticAdams) {
      adam.setSteps(state.updates());
    }
    targetNoise.restore(noiseState);
    updates = state.updates();
  }

  private StateArrays bindStateArrays() {
    StateArrays arrays = new StateArrays()
        .add("actor", actor.params(), actor.describeLayout())
        .add("actor_target", actorTarget.params(), actorTarget.describeLayout());
    for (int c = 0; c < critics.length; c++) {
      arrays.add(criticName(c), critics[c].params(), critics[c].describeLayout())
          .add(criticName(c) + "_target", criticTargets[c].params(), criticTargets[c].describeLayout());
    }
    arrays.add("actor.adam_m", actorAdam.firstMoment(), actor.describeLayout())
        .add("actor.adam_v", actorAdam.secondMoment(), actor.describeLayout());
    for (int c = 0; c < critics.length; c++) {
      arrays.add(criticName(c) + ".adam_m", criticAdams[c].firstMoment(), critics[c].describeLayout())
          .add(criticName(c) + ".adam_v", criticAdams[c].secondMoment(), critics[c].describeLayout());
    }
    return arrays.add("target_noise.rng_state", noiseState, "4 floats");
  }

  private List<Mlp> allNetworks() {
    List<Mlp> nets = new ArrayList<>(List.of(actor, actorTarget));
    nets.addAll(Arrays.asList(critics));
    nets.addAll(Arrays.asList(criticTargets));
    return nets;
  }

  private static String criticName(int c) {
    return c == 0 ? "critic" : "critic" + (c + 1);
  }
}
