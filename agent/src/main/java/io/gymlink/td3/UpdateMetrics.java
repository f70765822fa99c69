package io.gymlink.td3;

/**
 * What one {@link Td3#train} gradient step measured.
 *
 * @param criticLoss mean squared TD error of the critic(s) before the step (summed over twin critics, as SB3)
 * @param actorLoss -mean Q(s, mu(s)) before the actor step, or NaN when this step did not update the actor
 * @param meanQ mean Q(s, a) of the (first) critic over the batch, before the step
 */
public record UpdateMetrics(double criticLoss, double actorLoss, double meanQ) {

  /** Whether this step also updated the actor (and the target networks). */
  public boolean actorUpdated() {
    return !Double.isNaN(actorLoss);
  }
}
