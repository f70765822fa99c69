package io.gymlink.td3;

/**
 * A copy of a {@link Td3} learner's actor, owned by one other thread (the asynchronous collector): it predicts
 * actions while the learner updates its own actor, and is brought up to date with {@link #refreshFrom}. Not
 * thread-safe: refresh and predict from the owning thread only.
 */
public final class ActorSnapshot {

  private final Mlp actor;
  private final ActionScaler scaler;
  private final int observationDim;
  private final int actionDim;
  private final float[] row;
  private final float[] unit;
  private long learnerUpdates = -1;

  ActorSnapshot(Mlp actor, ActionScaler scaler, int observationDim, int actionDim) {
    this.actor = actor;
    this.scaler = scaler;
    this.observationDim = observationDim;
    this.actionDim = actionDim;
    this.row = new float[observationDim];
    this.unit = new float[actionDim];
  }

  /**
   * Copies {@code learner}'s current actor. The learner must not be updating meanwhile: call it between two of the
   * learner's gradient steps, from a thread that has exclusive access to the learner for that moment.
   */
  public void refreshFrom(Td3 learner) {
    learner.copyActorInto(actor);
    learnerUpdates = learner.updates();
  }

  /** The learner's gradient steps when this snapshot was taken. */
  public long learnerUpdates() {
    return learnerUpdates;
  }

  /** As {@link Td3#predict(float[], int, float[])}, with the actor of the last refresh. */
  public void predict(float[] observations, int rows, float[] actionsOut) {
    if (observations.length != rows * observationDim || actionsOut.length != rows * actionDim) {
      throw new IllegalArgumentException("predict of " + rows + " rows needs " + rows * observationDim
          + " observation floats and room for " + rows * actionDim + " action floats, got " + observations.length
          + " and " + actionsOut.length);
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(observations, r * observationDim, row, 0, observationDim);
      actor.forwardSingle(row, unit);
      scaler.fromUnit(unit, unit, actionDim);
      System.arraycopy(unit, 0, actionsOut, r * actionDim, actionDim);
    }
  }
}
