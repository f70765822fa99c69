package io.gymlink.buffer;

/**
 * A minibatch of transitions, row-major float32 arrays that a replay buffer fills in place (no per-sample
 * allocation).
 *
 * <p>{@code terminated[i]} is 1 only for a true terminal state; a time-limit truncation stores 0 and the true final
 * observation in {@code nextObservations}, so the target y = r + gamma * (1 - terminated) * Q'(s', mu'(s'))
 * bootstraps through it.
 *
 * @param size rows in the batch
 * @param observationDim floats per observation
 * @param actionDim floats per action
 * @param observations [size, observationDim]
 * @param actions [size, actionDim], in the environment's action bounds
 * @param rewards [size]
 * @param nextObservations [size, observationDim]
 * @param terminated [size], 1 for terminal transitions, else 0
 */
public record Batch(
    int size,
    int observationDim,
    int actionDim,
    float[] observations,
    float[] actions,
    float[] rewards,
    float[] nextObservations,
    float[] terminated) {

  public Batch {
    check("observations", observations, size * observationDim);
    check("actions", actions, size * actionDim);
    check("rewards", rewards, size);
    check("nextObservations", nextObservations, size * observationDim);
    check("terminated", terminated, size);
  }

  /** An empty batch of the given dimensions, to be filled by a buffer. */
  public static Batch allocate(int size, int observationDim, int actionDim) {
    return new Batch(
        size,
        observationDim,
        actionDim,
        new float[size * observationDim],
        new float[size * actionDim],
        new float[size],
        new float[size * observationDim],
        new float[size]);
  }

  private static void check(String name, float[] array, int expected) {
    if (array.length != expected) {
      throw new IllegalArgumentException("Batch " + name + " has " + array.length + " floats, expected " + expected);
    }
  }
}
