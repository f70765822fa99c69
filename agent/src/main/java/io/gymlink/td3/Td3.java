package io.gymlink.td3;

import io.gymlink.buffer.Batch;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.nn.Activation;
import io.gymlink.nn.Adam;
import io.gymlink.nn.Columns;
import io.gymlink.nn.Network;
import io.gymlink.nn.NetworkSnapshot;
import io.gymlink.random.SplitMix64Random;
import java.util.Arrays;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DDPG update rule (Lillicrap et al. 2016, "Continuous control with deep reinforcement learning", Algorithm 1)
 * with TD3's three additions (Fujimoto et al. 2018, "Addressing function approximation error in actor-critic
 * methods") behind flags, as Stable-Baselines3's {@code TD3.train}.
 *
 * <p>The actor is an MLP with a tanh output in [-1, 1], rescaled to the Box bounds for the environment; the critic
 * sees concat(observation, action in [-1, 1]). The critic regresses on y = r + gamma * (1 - terminated) *
 * min_i Q'_i(s', clip(mu'(s') + clip(noise))), so time-limit truncations bootstrap; the actor ascends Q_1(s, mu(s))
 * with the critic held fixed; targets follow by Polyak averaging. The networks are {@code io.gymlink.nn} networks
 * on ND4J arrays; {@link #predict} runs a heap snapshot of the actor. Not thread-safe.
 */
public final class Td3 {
  private static final Logger LOG = LoggerFactory.getLogger(Td3.class);

  private final int observationDim;
  private final int actionDim;
  private final Td3Config config;
  private final TargetPolicyNoise targetNoise;
  private final ActionScaler scaler;
  private final Network actor;
  private final Network actorTarget;
  private final Network[] critics;
  private final Network[] criticTargets;
  private final Adam actorOptimizer;
  private final Adam[] criticOptimizers;
  private final Columns actionColumns;
  private final NetworkSnapshot actorForPredict;
  private final float[] predictUnit;
  private final float[] predictRow;
  private final StateArrays stateArrays;
  private long updates;

  private int batchSize = -1;
  private float[] criticInput;
  private float[] unitActions;
  private float[] targets;
  private float[] dQ;
  private float[] dActions;

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
    this.targetNoise = new TargetPolicyNoise(new SplitMix64Random(random.nextLong()), config.targetPolicyNoise(),
        config.targetNoiseClip());
    Activation hidden = Activation.named(config.activation());
    actor = Network.mlp(observationDim, config.netArch(), actionDim, hidden, Activation.TANH);
    actor.initialize(random);
    actorTarget = actor.newTarget();
    actorOptimizer = new Adam(actor, config.learningRate());
    int criticCount = config.twinCritics() ? 2 : 1;
    critics = new Network[criticCount];
    criticTargets = new Network[criticCount];
    criticOptimizers = new Adam[criticCount];
    for (int c = 0; c < criticCount; c++) {
      critics[c] = Network.mlp(observationDim + actionDim, config.netArch(), 1, hidden, Activation.IDENTITY);
      critics[c].initialize(random);
      criticTargets[c] = critics[c].newTarget();
      criticOptimizers[c] = new Adam(critics[c], config.learningRate());
    }
    actionColumns = new Columns(observationDim, actionDim);
    actorForPredict = NetworkSnapshot.of(actor);
    predictUnit = new float[actionDim];
    predictRow = new float[observationDim];
    stateArrays = bindStateArrays();
    LOG.info("{} learner: actor {}, {} critic(s) {}, action bounds {}", config.algorithmName(),
        actor.describeLayout(), criticCount, critics[0].describeLayout(), actionSpace);
  }

  /** The deterministic actor action mu(observation), in the Box bounds; a fresh array. */
  public float[] predict(float[] observation) {
    if (observation.length != observationDim) {
      throw new IllegalArgumentException(
          "observation has " + observation.length + " floats, expected " + observationDim);
    }
    actorForPredict.refreshFrom(actor);
    actorForPredict.forward(observation, predictUnit);
    return scaler.unscale(predictUnit);
  }

  /**
   * The deterministic actor actions of {@code rows} observations at once (row-major {@code [rows, observationDim]}
   * in, {@code [rows, actionDim]} in the Box bounds out). Row by row it equals {@link #predict(float[])} exactly:
   * each row runs the same single-row path, so actions do not depend on how observations are grouped.
   */
  public void predict(float[] observations, int rows, float[] actionsOut) {
    checkRows(observations, rows, actionsOut, observationDim, actionDim);
    actorForPredict.refreshFrom(actor);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(observations, r * observationDim, predictRow, 0, observationDim);
      actorForPredict.forward(predictRow, predictUnit);
      scaler.unscale(predictUnit, predictUnit, actionDim);
      System.arraycopy(predictUnit, 0, actionsOut, r * actionDim, actionDim);
    }
  }

  static void checkRows(float[] observations, int rows, float[] actionsOut, int observationDim, int actionDim) {
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
    return new ActorSnapshot(this);
  }

  /** The live actor network, for reading (export, inspection); training it outside {@link #train} is not supported. */
  public Network actor() {
    return actor;
  }

  /** How actions map between the actor's [-1, 1] and the action space. */
  public ActionScaler scaler() {
    return scaler;
  }

  int observationDim() {
    return observationDim;
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
    boolean actorStep = updates % config.policyDelay() == 0;

    // Target: y = r + gamma * (1 - terminated) * min_i Q'_i(s', a'), a' = clip(mu'(s') + clip(noise), -1, 1).
    float[] nextActions = actorTarget.forward(batch.nextObservations(), n);
    targetNoise.addTo(nextActions, n * actionDim);
    concat(batch.nextObservations(), nextActions, criticInput, n);
    System.arraycopy(criticTargets[0].forward(criticInput, n), 0, targets, 0, n);
    for (int c = 1; c < criticTargets.length; c++) {
      float[] q = criticTargets[c].forward(criticInput, n);
      for (int i = 0; i < n; i++) {
        targets[i] = Math.min(targets[i], q[i]);
      }
    }
    float gamma = (float) config.gamma();
    for (int i = 0; i < n; i++) {
      targets[i] = batch.rewards()[i] + gamma * (1f - batch.terminated()[i]) * targets[i];
    }

    // Critic step: minimise mean (Q(s, a) - y)^2, summed over twin critics (SB3). On an actor step the critic
    // targets are Polyak-averaged in the same sweep as Adam (SB3 does it after the actor step; same numbers).
    scaler.scale(batch.actions(), unitActions, n * actionDim);
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
      meanQ = c == 0 ? sumQ / n : meanQ;
      critics[c].backward(dQ);
      if (actorStep) {
        criticOptimizers[c].stepAndUpdateTarget(config.tau());
      } else {
        criticOptimizers[c].step();
      }
    }

    // Actor step (every policyDelay-th update): maximise Q_1(s, mu(s)), the critic's parameters held fixed; then
    // the actor target follows (Polyak, in the same sweep as Adam).
    double actorLoss = actorStep ? actorStep(batch, n) : Double.NaN;
    return new UpdateMetrics(criticLoss, actorLoss, meanQ);
  }

  /** Actor step: gradient of -mean Q_1(s, mu(s)) through the critic into the actor; returns that loss. */
  private double actorStep(Batch batch, int n) {
    float[] mu = actor.forward(batch.observations(), n);
    concat(batch.observations(), mu, criticInput, n);
    float[] q = critics[0].forward(criticInput, n);
    double sumQ = 0;
    for (int i = 0; i < n; i++) {
      sumQ += q[i];
    }
    Arrays.fill(dQ, 0, n, -1f / n);
    critics[0].inputGradient(dQ, actionColumns, dActions);
    actor.backward(dActions);
    actorOptimizer.stepAndUpdateTarget(config.tau());
    return -sumQ / n;
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
    dActions = new float[n * actionDim];
    batchSize = n;
  }

  /** Gradient steps taken so far. */
  public long updates() {
    return updates;
  }

  /**
   * A copy of everything needed to continue bit-identically. Arrays, in order: actor, actor_target, critic,
   * critic_target (then critic2, critic2_target with twin critics), then the Adam moments actor.adam_m,
   * actor.adam_v, critic.adam_m, critic.adam_v (critic2.adam_m, critic2.adam_v), and target_noise.rng_state (the
   * target policy noise generator: its state and cached Gaussian, nine 16-bit words).
   */
  public LearnerState state() {
    return new LearnerState(observationDim, actionDim, updates, stateArrays.snapshot());
  }

  /**
   * Restores {@link #state()} output; refuses, naming the shapes, a state made for other dimensions or nets.
   * States written before the random generators were unified (a 4-word target noise state) load too.
   */
  public void load(LearnerState state) {
    if (state.observationDim() != observationDim || state.actionDim() != actionDim) {
      throw new IllegalArgumentException("learner state is for observationDim " + state.observationDim()
          + ", actionDim " + state.actionDim() + "; this learner has observationDim " + observationDim
          + ", actionDim " + actionDim);
    }
    stateArrays.restore(state.arrays(),
        "netArch " + config.netArch() + ", twinCritics=" + config.twinCritics());
    actorOptimizer.setSteps(state.updates() / config.policyDelay());
    for (Adam optimizer : criticOptimizers) {
      optimizer.setSteps(state.updates());
    }
    updates = state.updates();
  }

  private StateArrays bindStateArrays() {
    StateArrays arrays = new StateArrays();
    bindNetwork(arrays, "actor", actor);
    bindNetwork(arrays, "actor_target", actorTarget);
    for (int c = 0; c < critics.length; c++) {
      bindNetwork(arrays, criticName(c), critics[c]);
      bindNetwork(arrays, criticName(c) + "_target", criticTargets[c]);
    }
    bindMoments(arrays, "actor", actor, actorOptimizer);
    for (int c = 0; c < critics.length; c++) {
      bindMoments(arrays, criticName(c), critics[c], criticOptimizers[c]);
    }
    return arrays.add("target_noise.rng_state", TargetPolicyNoise.STATE_FLOATS + " floats",
        targetNoise::stateAsFloats, targetNoise::restore, TargetPolicyNoise.STATE_FLOATS,
        TargetPolicyNoise.LEGACY_STATE_FLOATS);
  }

  private static void bindNetwork(StateArrays arrays, String name, Network network) {
    arrays.add(name, network.describeLayout(), network::parametersToArray, network::setParameters,
        network.parameterCount());
  }

  private static void bindMoments(StateArrays arrays, String name, Network network, Adam optimizer) {
    arrays.add(name + ".adam_m", network.describeLayout(), optimizer::firstMomentToArray,
            optimizer::setFirstMoment, network.parameterCount())
        .add(name + ".adam_v", network.describeLayout(), optimizer::secondMomentToArray,
            optimizer::setSecondMoment, network.parameterCount());
  }

  private static String criticName(int c) {
    return c == 0 ? "critic" : "critic" + (c + 1);
  }
}
