package io.gymlink.vector;

import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Assembles the answered rows of a vector step into a {@link VectorStepResult}. */
final class Rows {

  private Rows() {}

  /** {@code [rows, ...single]}. */
  static int[] batchShape(BoxSpace single, int rows) {
    int[] shape = new int[single.shape().length + 1];
    shape[0] = rows;
    System.arraycopy(single.shape(), 0, shape, 1, single.shape().length);
    return shape;
  }

  /**
   * The rows as one result.
   *
   * @param byEnvId order the rows by sub-environment (a full {@link VectorEnv#step}); else keep arrival order
   */
  static VectorStepResult toResult(List<Row> rows, BoxSpace observationSpace, boolean byEnvId) {
    List<Row> ordered = rows;
    if (byEnvId) {
      ordered = new ArrayList<>(rows);
      ordered.sort(Comparator.comparingInt(Row::envId));
    }
    int k = ordered.size();
    int dim = observationSpace.size();
    int[] ids = new int[k];
    float[] observations = new float[k * dim];
    double[] rewards = new double[k];
    boolean[] terminated = new boolean[k];
    boolean[] truncated = new boolean[k];
    float[][] finals = new float[k][];
    boolean[] interrupted = new boolean[k];
    List<Map<String, Object>> infos = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      Row row = ordered.get(i);
      ids[i] = row.envId();
      System.arraycopy(row.observation(), 0, observations, i * dim, dim);
      rewards[i] = row.reward();
      terminated[i] = row.terminated();
      truncated[i] = row.truncated();
      finals[i] = row.finalObservation();
      interrupted[i] = row.interrupted();
      infos.add(row.info());
    }
    return new VectorStepResult(ids, new BoxValue(observations, batchShape(observationSpace, k)), rewards,
        terminated, truncated, finals, interrupted, infos);
  }
}
