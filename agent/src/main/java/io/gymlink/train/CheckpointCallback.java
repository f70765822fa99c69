package io.gymlink.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a checkpoint every {@code checkpointFreq} environment steps, at the end of the run (also when stopped), and
 * when the environment fails for good, so that the work since the last one is kept (SB3's
 * {@code CheckpointCallback}). The replay buffer goes in when {@code saveReplayBuffer} says so.
 */
final class CheckpointCallback implements TrainingCallback {

  private final int checkpointFreq;
  private final ReplayBufferSaving saving;
  private final ProgressReporter progress;
  private long nextDue = Long.MAX_VALUE;
  private long lastCheckpointStep = -1;

  /** @param checkpointFreq environment steps between checkpoints; 0 checkpoints only at the end */
  CheckpointCallback(int checkpointFreq, ReplayBufferSaving saving, ProgressReporter progress) {
    this.checkpointFreq = checkpointFreq;
    this.saving = saving;
    this.progress = progress;
  }

  @Override
  public void onTrainingStart(TrainingRun run) {
    lastCheckpointStep = run.resumed() ? run.numTimesteps() : -1;
    nextDue = Schedule.next(run.numTimesteps(), checkpointFreq);
  }

  @Override
  public long nextDue() {
    return nextDue;
  }

  @Override
  public void onStep(TrainingRun run) {
    if (run.numTimesteps() >= nextDue) {
      checkpoint(run);
      nextDue = Schedule.next(run.numTimesteps(), checkpointFreq);
    }
  }

  @Override
  public void onTrainingEnd(TrainingRun run) {
    if (lastCheckpointStep != run.numTimesteps()) {
      checkpoint(run);
    }
  }

  @Override
  public void onFailure(TrainingRun run, RuntimeException cause) {
    if (lastCheckpointStep == run.numTimesteps()) {
      return;
    }
    try {
      checkpoint(run);
      progress.log("continue with: gymlink train --resume " + run.context().runDir());
    } catch (RuntimeException e) {
      // The env error is what the user must see; a checkpoint that cannot be written is reported beside it.
      progress.log("could not write a checkpoint after the env failed: " + e.getMessage());
    }
  }

  private void checkpoint(TrainingRun run) {
    long start = System.nanoTime();
    boolean withBuffer = saving.saves(run.buffer().bytesAtCapacity());
    Path dir = CheckpointStore.save(run.context().runDir(), run.snapshot(), withBuffer ? run.buffer() : null);
    lastCheckpointStep = run.numTimesteps();
    progress.log("checkpoint written to " + dir + " (step " + lastCheckpointStep + (withBuffer
        ? ", with " + run.buffer().size() + " replay transitions)"
        : ", without replay buffer: " + omittedBecause(run) + ")"));
    run.excludeFromTiming(System.nanoTime() - start);
  }

  private String omittedBecause(TrainingRun run) {
    return saving == ReplayBufferSaving.NEVER ? "saveReplayBuffer=false"
        : String.format(Locale.ROOT, "a full buffer takes %.1f GiB, above the %d GiB of saveReplayBuffer=auto; set"
            + " saveReplayBuffer=true to keep it", run.buffer().bytesAtCapacity() / 1073741824.0,
            ReplayBufferSaving.AUTO_LIMIT_BYTES >> 30);
  }
}
