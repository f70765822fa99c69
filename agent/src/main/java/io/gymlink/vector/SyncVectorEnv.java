package io.gymlink.vector;

import io.gymlink.env.Env;
import io.gymlink.env.StepResult;
import io.gymlink.env.UnsupportedSpaceException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.env.spaces.Space;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A {@link VectorEnv} over a list of {@link Env}s stepped one after the other in the calling thread (Gymnasium's
 * {@code SyncVectorEnv}): the reference semantics, for in-memory environments and tests. {@link #send} only queues
 * the actions; {@link #recv} steps them. Remote environments belong in a vector env that batches and overlaps
 * their round trips.
 */
public final class SyncVectorEnv implements VectorEnv {

  private final List<Env> envs;
  private final BoxSpace observationSpace;
  private final BoxSpace actionSpace;
  private final Deque<Pending> pending = new ArrayDeque<>();

  private record Pending(int envId, float[] action) {}

  /** Takes ownership of {@code envs}, which must share Box observation and action spaces. */
  public SyncVectorEnv(List<? extends Env> envs) {
    if (envs.isEmpty()) {
      throw new IllegalArgumentException("a vector env needs at least one env, got none");
    }
    this.envs = List.copyOf(envs);
    this.observationSpace = box("observation", this.envs.get(0).observationSpace());
    this.actionSpace = box("action", this.envs.get(0).actionSpace());
    for (int i = 1; i < this.envs.size(); i++) {
      Env env = this.envs.get(i);
      if (!observationSpace.equals(env.observationSpace()) || !actionSpace.equals(env.actionSpace())) {
        throw new IllegalArgumentException("sub-environment " + i + " has spaces " + env.observationSpace() + ", "
            + env.actionSpace() + "; expected those of sub-environment 0: " + observationSpace + ", " + actionSpace);
      }
    }
  }

  private static BoxSpace box(String what, Space space) {
    if (!(space instanceof BoxSpace box)) {
      throw new UnsupportedSpaceException("a vector env needs a Box " + what + " space, got " + space);
    }
    return box;
  }

  @Override
  public int numEnvs() {
    return envs.size();
  }

  @Override
  public BoxSpace singleObservationSpace() {
    return observationSpace;
  }

  @Override
  public BoxSpace singleActionSpace() {
    return actionSpace;
  }

  @Override
  public BoxValue reset(Long seed) {
    pending.clear();
    int dim = observationSpace.size();
    float[] observations = new float[envs.size() * dim];
    for (int i = 0; i < envs.size(); i++) {
      float[] first = envs.get(i).reset(seed == null ? null : seed + i, Map.of()).observation().asBox().data();
      System.arraycopy(first, 0, observations, i * dim, dim);
    }
    return new BoxValue(observations, batchShape(envs.size()));
  }

  @Override
  public VectorStepResult step(BoxValue actions) {
    int[] all = new int[envs.size()];
    Arrays.setAll(all, i -> i);
    send(actions, all);
    return recv(all.length);
  }

  @Override
  public void send(BoxValue actions, int[] envIds) {
    int dim = actionSpace.size();
    if (actions.data().length != envIds.length * dim) {
      throw new IllegalArgumentException("actions for " + envIds.length + " envs must hold " + envIds.length * dim
          + " floats (shape [" + envIds.length + ", " + dim + "]), got " + actions.data().length);
    }
    for (int k = 0; k < envIds.length; k++) {
      if (envIds[k] < 0 || envIds[k] >= envs.size()) {
        throw new IllegalArgumentException("env id " + envIds[k] + " is out of range [0, " + envs.size() + ")");
      }
      pending.add(new Pending(envIds[k], Arrays.copyOfRange(actions.data(), k * dim, (k + 1) * dim)));
    }
  }

  @Override
  public VectorStepResult recv(int minResults) {
    int k = pending.size();
    int dim = observationSpace.size();
    int[] ids = new int[k];
    float[] observations = new float[k * dim];
    double[] rewards = new double[k];
    boolean[] terminated = new boolean[k];
    boolean[] truncated = new boolean[k];
    float[][] finals = new float[k][];
    List<Map<String, Object>> infos = new ArrayList<>(k);
    for (int row = 0; row < k; row++) {
      Pending p = pending.poll();
      Env env = envs.get(p.envId());
      StepResult result = env.step(new BoxValue(p.action(), actionSpace.shape()));
      float[] next = result.observation().asBox().data();
      if (result.episodeOver()) {
        finals[row] = next;
        next = env.reset().observation().asBox().data();
      }
      ids[row] = p.envId();
      System.arraycopy(next, 0, observations, row * dim, dim);
      rewards[row] = result.reward();
      terminated[row] = result.terminated();
      truncated[row] = result.truncated();
      infos.add(result.info());
    }
    return new VectorStepResult(ids, new BoxValue(observations, batchShape(k)), rewards, terminated, truncated,
        finals, new boolean[k], infos);
  }

  private int[] batchShape(int rows) {
    int[] single = observationSpace.shape();
    int[] shape = new int[single.length + 1];
    shape[0] = rows;
    System.arraycopy(single, 0, shape, 1, single.length);
    return shape;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Env env : envs) {
      try {
        env.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
