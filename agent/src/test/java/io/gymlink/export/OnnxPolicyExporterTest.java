package io.gymlink.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.gymlink.buffer.Batch;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.DType;
import io.gymlink.random.SplitMix64Random;
import io.gymlink.td3.Td3;
import io.gymlink.td3.Td3Config;
import io.gymlink.train.DeterministicPolicy;
import io.gymlink.train.ObservationNormalizer;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import onnx.Onnx.ModelProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exported ONNX model, run in ONNX Runtime, acts as the Java policy does. */
class OnnxPolicyExporterTest {
  private static final int OBS = 4;
  private static final int ROWS = 1000;
  /** Asymmetric bounds, so that a wrong rescale shows. */
  private static final BoxSpace ACTIONS =
      new BoxSpace(new int[] {2}, DType.FLOAT32, new double[] {-2, 0}, new double[] {2, 1});

  @ParameterizedTest(name = "{0}, normalised observations: {1}")
  @CsvSource({"relu, false", "relu, true", "tanh, false", "tanh, true"})
  void onnxRuntime_actionsEqualTheJavaPolicy(String activation, boolean normalize) throws OrtException {
    DeterministicPolicy policy = trainedPolicy(activation, normalize);
    ModelProto model = OnnxPolicyExporter.export(policy, Map.of("gymlink.env_id", "Test-v0"));
    float[] observations = observations(new Random(7));

    float[][] onnx = runOnnx(model, observations);

    for (int r = 0; r < ROWS; r++) {
      float[] row = new float[OBS];
      System.arraycopy(observations, r * OBS, row, 0, OBS);
      float[] java = policy.apply(row);
      for (int k = 0; k < java.length; k++) {
        assertEquals(java[k], onnx[r][k], 1e-5, "row " + r + " action " + k);
      }
    }
  }

  private static float[][] runOnnx(ModelProto model, float[] observations) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(observations), new long[] {ROWS, OBS});
        OrtSession.Result result = session.run(Map.of(OnnxPolicyExporter.INPUT, input))) {
      assertEquals(List.of(OnnxPolicyExporter.INPUT), List.copyOf(session.getInputNames()));
      return (float[][]) result.get(OnnxPolicyExporter.OUTPUT).orElseThrow().getValue();
    }
  }

  /** A learner after 20 updates on random data (so its weights are not the initial ones) and its policy. */
  private static DeterministicPolicy trainedPolicy(String activation, boolean normalize) {
    Td3Config d = Td3Config.ddpg();
    Td3Config config = new Td3Config(1e-2, 32, d.tau(), d.gamma(), List.of(32, 24), activation, false, 1, 0, 0.5);
    Td3 learner = new Td3(OBS, ACTIONS, config, new SplitMix64Random(3));
    Random random = new Random(4);
    for (int t = 0; t < 20; t++) {
      Batch batch = Batch.allocate(32, OBS, 2);
      for (int i = 0; i < batch.observations().length; i++) {
        batch.observations()[i] = (float) random.nextGaussian();
        batch.nextObservations()[i] = (float) random.nextGaussian();
      }
      for (int i = 0; i < 32; i++) {
        batch.actions()[2 * i] = (float) (4 * random.nextDouble() - 2);
        batch.actions()[2 * i + 1] = (float) random.nextDouble();
        batch.rewards()[i] = (float) random.nextGaussian();
      }
      learner.train(batch);
    }
    ObservationNormalizer normalizer = null;
    if (normalize) {
      normalizer = new ObservationNormalizer(OBS);
      for (int i = 0; i < 500; i++) {
        normalizer.update(new float[] {(float) (3 + 2 * random.nextGaussian()), (float) (-1 + 0.1 * random
            .nextGaussian()), (float) (10 * random.nextGaussian()), (float) random.nextGaussian()});
      }
    }
    return new DeterministicPolicy(learner, normalizer);
  }

  /** Observations spread widely, some far enough out that normalised values hit the clip. */
  private static float[] observations(Random random) {
    float[] x = new float[ROWS * OBS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * (i % OBS == 1 ? 5 : 3));
    }
    return x;
  }
}
