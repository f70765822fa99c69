package io.gymlink.td3;

import io.gymlink.nn.NetworkSnapshot;

/**
 * A copy of a {@link Td3} learner's actor, owned by one other thread (the asynchronous collector): it predicts
 * actions while the learner updates its own actor, and is brought up to date with {@link #refreshFrom}. Its actions
 * equal the learner's {@link Td3#predict} for the same parameters, bit for bit. Not thread-safe: refresh and predict
 * from the owning thread only.
 */
public final class ActorSnapshot {
  private final NetworkSnapshot actor;
  private final ActionScaler scaler;
  private final int observationDim;
  private final int actionDim;
  private final float[] row;
  private final float[] unit;
  private long learnerUpdates;

  ActorSnapshot(Td3 learner) {
    this.actor = NetworkSnapshot.of(learner.actor());
    this.scaler = learner.scaler();
    this.observationDim = learner.observationDim();
    this.actionDim = scaler.size();
    this.row = new float[observationDim];
    this.unit = new float[actionDim];
    this.learnerUpdates = learner.updates();
  }

  /**
   * Copies {@code learner}'s current actor. The learner must not be updating meanwhile: call it between two of the
   * learner's gradient steps, from a thread that has exclusive access to the learner for that moment.
   */
  public void refreshFrom(Td3 learner) {
    actor.refreshFrom(learner.actor());
    learnerUpdates = learner.updates();
  }

  /** The learner's gradient steps when this snapshot was taken. */
  public long learnerUpdates() {
    return learnerUpdates;
  }

  /** As {@link Td3#predict(float[], int, float[])}, with the actor of the last refresh. */
  public void predict(float[] observations, int rows, float[] actionsOut) {
    Td3.checkRows(observations, rows, actionsOut, observationDim, actionDim);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(observations, r * observationDim, row, 0, observationDim);
      actor.forward(row, unit);
      scaler.unscale(unit, unit, actionDim);
      System.arraycopy(unit, 0, actionsOut, r * actionDim, actionDim);
    }
  }
}
