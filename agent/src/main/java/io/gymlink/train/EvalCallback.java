package io.gymlink.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Evaluates the deterministic policy every {@code evalFreq} environment steps and at the end of a run that was not
 * stopped (SB3's {@code EvalCallback}), on the evaluation env, writes {@code evaluations.csv} and keeps the best
 * policy so far in {@code RUN/best_model/} ({@link BestModel}).
 */
final class EvalCallback implements TrainingCallback {

  private final Evaluator evaluator;
  private final int evalFreq;
  private final int episodes;
  private final ProgressReporter progress;
  private final BestModel bestModel = new BestModel();
  private long nextDue = Long.MAX_VALUE;
  private EvaluationResult lastEvaluation;

  /** @param evalFreq environment steps between evaluations; 0 evaluates only at the end */
  EvalCallback(Evaluator evaluator, int evalFreq, int episodes, ProgressReporter progress) {
    this.evaluator = evaluator;
    this.evalFreq = evalFreq;
    this.episodes = episodes;
    this.progress = progress;
  }

  @Override
  public void onTrainingStart(TrainingRun run) {
    nextDue = Schedule.next(run.numTimesteps(), evalFreq);
    bestModel.onTrainingStart(run);
  }

  @Override
  public long nextDue() {
    return nextDue;
  }

  @Override
  public void onStep(TrainingRun run) {
    if (run.numTimesteps() >= nextDue) {
      evaluate(run);
      nextDue = Schedule.next(run.numTimesteps(), evalFreq);
    }
  }

  @Override
  public void onTrainingEnd(TrainingRun run) {
    if (!run.stopRequested() && (lastEvaluation == null || lastEvaluation.step() != run.numTimesteps())) {
      evaluate(run);
    }
  }

  /** The last evaluation of this session, or null. */
  EvaluationResult lastEvaluation() {
    return lastEvaluation;
  }

  private void evaluate(TrainingRun run) {
    long start = System.nanoTime();
    long step = run.numTimesteps();
    progress.log("evaluating at step " + step + ": " + episodes + " deterministic episode(s)");
    lastEvaluation = evaluator.evaluate(step, run.policy());
    run.metrics().write(lastEvaluation);
    progress.log("evaluation at step " + step + ": return " + lastEvaluation.summary());
    Path best = bestModel.offer(run, lastEvaluation);
    if (best != null) {
      progress.log(String.format(Locale.ROOT, "new best mean return %.2f: policy saved to %s", lastEvaluation.mean(),
          best));
    }
    run.excludeFromTiming(System.nanoTime() - start);
  }
}
