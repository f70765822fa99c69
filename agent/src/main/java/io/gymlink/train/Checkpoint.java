package io.gymlink.train;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.random.SplitMix64Random;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a run bit-identically or to evaluate its policy: what it was trained on, its
 * config, counters, RNG states, the learner's arrays and the observation statistics. The replay buffer, when saved,
 * is read separately into a preallocated buffer ({@link CheckpointStore#loadReplayBuffer}).
 *
 * @param envId the environment trained on
 * @param observationDim floats per (flattened) observation
 * @param observationSpace the observation space, as text, for messages
 * @param actionSpace the Box action space
 * @param config the resolved run config
 * @param numTimesteps environment steps taken
 * @param episodes training episodes finished
 * @param runRng state of the run's RNG (warm-up actions, noise, replay sampling)
 * @param learnerRng state of the learner's RNG
 * @param learnerUpdates gradient steps the learner has taken
 * @param learnerArrays the learner's named arrays (networks, targets, optimiser moments), in the learner's order
 * @param normalizer observation statistics, or null when observations are not normalised
 * @param hasReplayBuffer whether {@code replay_buffer.bin} was written
 * @param versions versions of gymlink, Java and ND4J that wrote it
 */
public record Checkpoint(
    String envId,
    int observationDim,
    String observationSpace,
    BoxSpace actionSpace,
    RunConfig config,
    long numTimesteps,
    long episodes,
    SplitMix64Random.State runRng,
    SplitMix64Random.State learnerRng,
    long learnerUpdates,
    LinkedHashMap<String, float[]> learnerArrays,
    NormalizerState normalizer,
    boolean hasReplayBuffer,
    Map<String, String> versions) {

  /** Saved {@link RunningMeanStd}. */
  public record NormalizerState(double[] mean, double[] var, double count) {

    /** The statistics of {@code stats} now. */
    public static NormalizerState of(RunningMeanStd stats) {
      return new NormalizerState(stats.mean(), stats.var(), stats.count());
    }

    /** Puts these statistics into {@code stats}. */
    public void restoreInto(RunningMeanStd stats) {
      stats.restore(mean, var, count);
    }
  }

  /**
   * Refuses to continue or evaluate on an environment other than the one trained on.
   *
   * @throws CheckpointMismatchException naming the checkpoint's and the environment's id, dims and action space
   */
  public void checkCompatible(String source, String actualEnvId, int actualObservationDim, BoxSpace actualActions) {
    StringBuilder problems = new StringBuilder();
    if (!envId.equals(actualEnvId)) {
      problems.append("; env id is '").append(actualEnvId).append("', checkpoint has '").append(envId).append("'");
    }
    if (observationDim != actualObservationDim) {
      problems.append("; observation size is ").append(actualObservationDim).append(", checkpoint has ")
          .append(observationDim);
    }
    if (!actionSpace.equals(actualActions)) {
      problems.append("; action space is ").append(actualActions).append(", checkpoint has ").append(actionSpace);
    }
    if (problems.length() > 0) {
      throw new CheckpointMismatchException(
          "checkpoint " + source + " does not fit this environment: " + problems.substring(2));
    }
  }
}
