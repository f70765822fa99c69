package io.gymlink.vector;

import io.gymlink.env.InvalidActionException;
import io.gymlink.env.spaces.BoxSpace;
import io.gymlink.env.spaces.BoxValue;
import java.util.Arrays;

/** Checks a batch of actions for {@link VectorEnv#send} before anything is sent, and splits it into rows. */
final class ActionRows {

  private ActionRows() {}

  /**
   * The rows of {@code actions} ({@code [envIds.length, ...space]}), each checked against {@code space}.
   *
   * @param busy per sub-environment, whether it was sent an action and has not answered yet
   * @throws IllegalArgumentException for a wrong size, an id out of range, repeated or busy
   * @throws InvalidActionException naming the env id and the sub-environment, for an action outside the space
   */
  static float[][] split(BoxValue actions, int[] envIds, BoxSpace space, boolean[] busy, String envId) {
    int dim = space.size();
    if (actions.data().length != envIds.length * dim) {
      throw new IllegalArgumentException("actions for " + envIds.length + " envs must hold " + envIds.length * dim
          + " floats (shape [" + envIds.length + ", " + dim + "]), got " + actions.data().length);
    }
    float[][] rows = new float[envIds.length][];
    boolean[] seen = new boolean[busy.length];
    for (int k = 0; k < envIds.length; k++) {
      int id = envIds[k];
      if (id < 0 || id >= busy.length) {
        throw new IllegalArgumentException("env id " + id + " is out of range [0, " + busy.length + ")");
      }
      if (seen[id] || busy[id]) {
        throw new IllegalArgumentException("env " + id + " was already sent an action and has not answered yet");
      }
      seen[id] = true;
      rows[k] = Arrays.copyOfRange(actions.data(), k * dim, (k + 1) * dim);
      String problem = space.check(new BoxValue(rows[k], space.shape()));
      if (problem != null) {
        throw new InvalidActionException("action for '" + envId + "' (env " + id + ") " + problem);
      }
    }
    return rows;
  }
}
