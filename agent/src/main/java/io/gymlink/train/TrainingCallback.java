package io.gymlink.train;

/**
 * A hook into the training loop (SB3's {@code BaseCallback}): evaluation, checkpoints, run files and log lines live
 * in callbacks, so that {@link Trainer} holds only the loop.
 *
 * <p>The loop calls {@link #onStep} after every vector step when it collects synchronously. With asynchronous
 * collection it calls it only at the steps a callback asked for with {@link #nextDue}, with collection paused, so
 * that a callback always sees a consistent run (buffer, counters and learner at rest).
 */
interface TrainingCallback {

  /** Before the first step of this session. */
  default void onTrainingStart(TrainingRun run) {}

  /** Just before the session's first gradient step. */
  default void onFirstUpdate(TrainingRun run) {}

  /** The smallest environment step count at which {@link #onStep} has work; asynchronous collection pauses there. */
  default long nextDue() {
    return Long.MAX_VALUE;
  }

  /** After a vector step (synchronous collection) or at a due step (asynchronous collection). */
  default void onStep(TrainingRun run) {}

  /** After the last step, or after a stop request; the run is at rest. */
  default void onTrainingEnd(TrainingRun run) {}

  /** The environment failed for good (e.g. its server died); the error propagates after every callback ran. */
  default void onFailure(TrainingRun run, RuntimeException cause) {}
}
