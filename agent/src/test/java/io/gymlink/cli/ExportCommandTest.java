package io.gymlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.train.CheckpointStore;
import io.gymlink.train.DeterministicPolicy;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code gymlink export} as a user runs it: a real (tiny) training run, its checkpoint exported and run in ORT. */
class ExportCommandTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();



  @Test
  void export_trainedCheckpoint_runsInOnnxRuntimeAsTheJavaPolicy(@TempDir Path dir) throws Exception {
    Path runDir = dir.resolve("run");
    CliRun trained = CliRun.gymlink("train", "--env", "Pendulum-v1", "--steps", "200", "--seed", "3", "--server",
        SERVER.target(), "--out", runDir.toString(), "--set", "netArch=[16,16]", "--set", "learningStarts=50",
        "--set", "batchSize=16", "--set", "evalEpisodes=1", "--set", "evalFreq=200", "--set",
        "normalizeObservations=true");
    assertEquals(0, trained.exitCode(), trained.err());

    Path onnx = dir.resolve("models/pendulum.onnx");
    CliRun exported = CliRun.gymlink("export", "--checkpoint", runDir.toString(), "--onnx", onnx.toString());
    assertEquals(0, exported.exitCode(), exported.err());
    assertTrue(exported.out().startsWith("wrote " + onnx + ": DDPG policy of Pendulum-v1 at step 200, 'observation'"
        + " [batch, 3] -> 'action' [batch, 1], observation normalisation in the graph"), exported.out());

    DeterministicPolicy policy = DeterministicPolicy.fromCheckpoint(CheckpointStore.load(runDir));
    float[] observations = new float[100 * 3];
    Random random = new Random(1);
    for (int i = 0; i < observations.length; i++) {
      observations[i] = (float) (i % 3 == 2 ? 8 * random.nextDouble() - 4 : 2 * random.nextDouble() - 1);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(observations), new long[] {100, 3});
        OrtSession.Result result = session.run(Map.of("observation", input))) {
      float[][] actions = (float[][]) result.get("action").orElseThrow().getValue();
      assertEquals("Pendulum-v1", session.getMetadata().getCustomMetadata().get("gymlink.env_id"));
      for (int r = 0; r < 100; r++) {
        float[] java = policy.apply(new float[] {observations[3 * r], observations[3 * r + 1],
            observations[3 * r + 2]});
        assertEquals(java[0], actions[r][0], 1e-5, "row " + r);
      }
    }
  }

  @Test
  void export_missingCheckpoint_usageErrorNamingThePath(@TempDir Path dir) {
    CliRun run = CliRun.gymlink("export", "--checkpoint", dir.resolve("nothing").toString(), "--onnx",
        dir.resolve("x.onnx").toString());
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--checkpoint: ") && run.err().contains("nothing"), run.err());
    assertEquals(List.of(), List.of(dir.toFile().list()));
  }
}
