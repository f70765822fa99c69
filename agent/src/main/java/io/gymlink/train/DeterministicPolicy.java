package io.gymlink.train;

import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.LearnerState;
import io.gymlink.td3.Td3;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The greedy policy of a trained learner: raw observation -> normalised with frozen statistics -> actor action.
 * Used for evaluation during training and by {@code gymlink eval}.
 */
public final class DeterministicPolicy implements UnaryOperator<float[]> {

  private final Td3 learner;
  private final ObservationNormalizer normalizer;

  /** @param normalizer the observation normaliser, or null when observations are fed raw */
  public DeterministicPolicy(Td3 learner, ObservationNormalizer normalizer) {
    this.learner = learner;
    this.normalizer = normalizer;
  }

  /** Rebuilds the policy stored in a checkpoint (learner arrays and observation statistics). */
  public static DeterministicPolicy fromCheckpoint(Checkpoint checkpoint) {
    Td3 learner = new Td3(checkpoint.observationDim(), checkpoint.actionSpace(),
        checkpoint.config().td3(), new SplitMix64Random(checkpoint.config().train().seed()));
    learner.load(new LearnerState(checkpoint.observationDim(), checkpoint.actionSpace().size(),
        checkpoint.learnerUpdates(), checkpoint.learnerArrays()));
    ObservationNormalizer normalizer = null;
    if (checkpoint.normalizer() != null) {
      normalizer = new ObservationNormalizer(checkpoint.observationDim());
      checkpoint.normalizer().restoreInto(normalizer.stats());
    }
    return new DeterministicPolicy(learner, normalizer);
  }

  /** The learner whose actor acts (for export: its actor network and action scaler). */
  public Td3 learner() {
    return learner;
  }

  /** The frozen observation normaliser, if observations are normalised. */
  public Optional<ObservationNormalizer> normalizer() {
    return Optional.ofNullable(normalizer);
  }

  @Override
  public float[] apply(float[] observation) {
    return learner.predict(normalizer == null ? observation : normalizer.normalize(observation));
  }
}
