package io.gymlink.cli;

import io.gymlink.export.OnnxPolicyExporter;
import io.gymlink.train.Checkpoint;
import io.gymlink.train.CheckpointException;
import io.gymlink.train.CheckpointStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import onnx.Onnx.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gymlink export}: writes a checkpoint's deterministic policy as an ONNX model. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = GymlinkVersion.class,
    sortOptions = false,
    description = "Exports a trained policy as an ONNX model: raw observation in ('observation', [batch, obs]),"
        + " action in the env's bounds out ('action', [batch, act]), with the observation normalisation and the"
        + " action rescaling inside the graph. Runs in ONNX Runtime (Python, C++, Java, C#, JavaScript).",
    footer = {"%nExample:%n  gymlink export --checkpoint runs/Pendulum-v1-20250101-120000 --onnx pendulum.onnx",
        "%nExit codes: 0 ok, 1 the file cannot be written, 2 usage error (bad flag or checkpoint)."})
public final class ExportCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR",
      description = "A run directory (its checkpoint/ is used) or a checkpoint directory.")
  Path checkpointPath;

  @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
  Path onnxFile;

  @Override
  public Integer call() {
    Checkpoint checkpoint;
    try {
      checkpoint = CheckpointStore.load(checkpointPath);
    } catch (CheckpointException e) {
      throw new ParameterException(spec.commandLine(), "--checkpoint: " + e.getMessage(), e);
    }
    ModelProto model;
    try {
      model = OnnxPolicyExporter.write(checkpoint, onnxFile);
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot write " + onnxFile + ": " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("wrote %s: %s policy of %s at step %d, %s -> %s, observation normalisation %s, %d bytes%n",
        onnxFile, checkpoint.config().td3().algorithmName(), checkpoint.envId(), checkpoint.numTimesteps(),
        describe(model.getGraph().getInput(0)), describe(model.getGraph().getOutput(0)),
        checkpoint.normalizer() == null ? "off" : "in the graph", model.getSerializedSize());
    out.flush();
    return 0;
  }

  private static String describe(onnx.Onnx.ValueInfoProto value) {
    var dims = value.getType().getTensorType().getShape().getDimList();
    return "'" + value.getName() + "' [" + dims.get(0).getDimParam() + ", " + dims.get(1).getDimValue() + "]";
  }
}
