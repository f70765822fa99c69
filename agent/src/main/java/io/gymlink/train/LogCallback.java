package io.gymlink.train;

import java.util.Locale;

/**
 * The run's prose log lines: what is trained on, the warm-up, how training proceeds once it starts, a stop request,
 * and a failing environment. The progress display itself is the loop's.
 */
final class LogCallback implements TrainingCallback {

  private final ProgressReporter progress;
  private final String exploration;

  /** @param exploration the exploration noise, as the start of training reports it */
  LogCallback(ProgressReporter progress, String exploration) {
    this.progress = progress;
    this.exploration = exploration;
  }

  @Override
  public void onTrainingStart(TrainingRun run) {
    OffPolicyConfig offPolicy = run.config().offPolicy();
    progress.log(String.format("%s: observation %s (dim %d), action %s%s", run.config().train().envId(),
        run.observationSpace(), run.observationSpace().size(), run.actionSpace(), offPolicy.numEnvs() == 1
            && !offPolicy.asyncCollection() ? "" : "; " + offPolicy.numEnvs() + " training envs, "
            + (offPolicy.asyncCollection() ? "asynchronous" : "synchronous") + " collection"));
    if (run.numTimesteps() < offPolicy.learningStarts()) {
      progress.log("warm-up: uniformly random actions until step " + offPolicy.learningStarts());
    }
  }

  @Override
  public void onFirstUpdate(TrainingRun run) {
    OffPolicyConfig offPolicy = run.config().offPolicy();
    String ratio = String.format(Locale.ROOT, "%.4g", offPolicy.replayRatio());
    if (offPolicy.asyncCollection()) {
      progress.log("training: continuously at a replay ratio of " + ratio + " gradient step(s) per transition on"
          + " average, while a collector thread steps " + offPolicy.numEnvs() + " env(s) with the latest actor;"
          + " exploration " + exploration);
    } else if (offPolicy.trainFreqUnit() == TrainFreqUnit.EPISODE) {
      progress.log("training: " + (offPolicy.gradientSteps() == -1 ? "one gradient step per transition collected,"
          : offPolicy.gradientSteps() + " gradient step(s)") + " after every " + offPolicy.trainFreq()
          + " ended episode(s)" + (offPolicy.numEnvs() == 1 ? "" : " of " + offPolicy.numEnvs() + " envs")
          + ", exploration " + exploration + (offPolicy.numEnvs() == 1 ? "" : " per env"));
    } else if (offPolicy.numEnvs() == 1) {
      progress.log("training: " + offPolicy.gradientStepsPerPhase(offPolicy.trainFreq()) + " gradient step(s) every "
          + offPolicy.trainFreq() + " env step(s), exploration " + exploration);
    } else {
      progress.log("training: " + offPolicy.gradientStepsPerPhase(offPolicy.trainFreq() * offPolicy.numEnvs())
          + " gradient step(s) every " + offPolicy.trainFreq() + " vector step(s) of " + offPolicy.numEnvs()
          + " envs (replay ratio " + ratio + "), exploration " + exploration + " per env");
    }
  }

  @Override
  public void onTrainingEnd(TrainingRun run) {
    if (run.stopRequested()) {
      progress.log("stopping at step " + run.numTimesteps() + " as requested; resume with --resume "
          + run.context().runDir());
    }
  }

  @Override
  public void onFailure(TrainingRun run, RuntimeException cause) {
    progress.close();
    progress.log("env failed at step " + run.numTimesteps() + ": " + cause.getMessage());
  }

  /** The session's last log line: steps, speed, gradient steps, the achieved replay ratio, the last evaluation. */
  static String summary(TrainingRun run, Trainer.Result result) {
    double ratio = result.replayRatio();
    long lost = run.store().interruptedEpisodes();
    return String.format(Locale.ROOT, "%s: %d steps in %.1f s (%.1f env-steps/s excluding evaluation), %d gradient"
            + " steps this session%s%s; last evaluation %s", result.interrupted() ? "stopped" : "done",
        result.steps(), result.wallSeconds(), result.stepsPerSecond(), result.gradientSteps(),
        Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, " (replay ratio %.3f)", ratio),
        lost == 0 ? "" : ", " + lost + " episode(s) cut short by a lost env",
        result.finalEvaluation() == null ? "none" : result.finalEvaluation().summary())
        + (!run.config().offPolicy().asyncCollection() ? "" : String.format(Locale.ROOT, "; the learner waited"
            + " %.1f s for transitions, collection waited %.1f s for the learner", result.learnerWaitSeconds(),
            result.collectorWaitSeconds()));
  }
}
