package io.gymlink.cli;

import io.gymlink.client.EnvFactory;
import io.gymlink.env.Env;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointException;
import io.gymlink.train.CheckpointMismatchException;
import io.gymlink.train.CheckpointStore;
import io.gymlink.train.DeterministicPolicy;
import io.gymlink.train.EvaluationResult;
import io.gymlink.train.Evaluator;
import io.gymlink.train.DdpgSpaces;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gymlink eval}: plays a checkpoint's deterministic policy and prints the mean ± std episode return. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Evaluates a trained policy: runs deterministic episodes (no exploration noise, observation"
        + " statistics frozen) and prints each return and the mean ± std.",
    footer = {"%nExample:%n  gymlink eval --checkpoint runs/Pendulum-v1-20250101-120000 --episodes 10",
        "%nExit codes: 0 ok, 1 environment or server error, 2 usage error (bad flag or checkpoint)."})
public final class EvalCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "A run directory (its checkpoint/ is used) or a checkpoint directory.")
  Path checkpointPath;

  @Option(names = "--episodes", defaultValue = "10", paramLabel = "N",
      description = "Episodes to play (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", paramLabel = "S",
      description = "Episode i is reset with seed S + i (default: the run's seed + " + Evaluator.SEED_OFFSET
          + ", the seeds of the evaluations during training).")
  Long seed;

  @Option(names = "--env", paramLabel = "ID",
      description = "Environment to evaluate on (default: the checkpoint's). Another env is refused unless its"
          + " observation and action spaces match.")
  String envId;

  @Option(names = "--action-repeat", paramLabel = "K",
      description = "Frames each action is applied for on the env server (default: the checkpoint's actionRepeat,"
          + " the repeat it was trained with). Episode lengths count agent steps.")
  Integer actionRepeat;

  @Mixin
  EnvServerOptions serverOptions;

  @Override
  public Integer call() {
    if (episodes < 1) {
      throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
    }
    Checkpoint checkpoint;
    try {
      checkpoint = CheckpointStore.load(checkpointPath);
    } catch (CheckpointException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage(), e);
    }
    String env = envId != null ? envId : checkpoint.envId();
    long seedBase = seed != null ? seed : checkpoint.config().train().seed() + Evaluator.SEED_OFFSET;
    int repeat = actionRepeat != null ? actionRepeat : checkpoint.config().train().actionRepeat();
    if (repeat < 1 || repeat > EnvFactory.MAX_ACTION_REPEAT) {
      throw new ParameterException(spec.commandLine(), "--action-repeat must be 1 to " + EnvFactory.MAX_ACTION_REPEAT
          + ", got " + repeat);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ServerConnection connection = serverOptions.connect(List.of());
        Env evalEnv = connection.factory().make(env, Map.of(), checkpoint.config().train().maxEpisodeSteps(),
            repeat)) {
      try {
        checkpoint.checkCompatible(checkpointPath.toString(), env,
            DdpgSpaces.requireBoxObservations(env, evalEnv.observationSpace()).size(),
            DdpgSpaces.requireBoundedBoxActions(env, evalEnv.actionSpace()));
      } catch (CheckpointMismatchException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      out.printf("evaluating %s (step %d) on %s at %s, %d episodes, seeds %d..%d%s%n", checkpointPath,
          checkpoint.numTimesteps(), env, connection.describe(), episodes, seedBase, seedBase + episodes - 1,
          repeat > 1 ? ", action repeat " + repeat : "");
      EvaluationResult result = new Evaluator(evalEnv, episodes, seedBase)
          .evaluate(checkpoint.numTimesteps(), DeterministicPolicy.fromCheckpoint(checkpoint));
      for (int i = 0; i < episodes; i++) {
        out.printf(Locale.ROOT, "episode %d: return %.3f, length %d%n", i + 1, result.returns()[i],
            result.lengths()[i]);
      }
      out.printf(Locale.ROOT, "mean return %.2f ± %.2f over %d episodes%n", result.mean(), result.std(), episodes);
      out.flush();
    }
    return 0;
  }
}
