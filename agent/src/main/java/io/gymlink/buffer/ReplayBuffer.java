package io.gymlink.buffer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * The experience replay memory of off-policy learners (Mnih et al. 2015; SB3's {@code ReplayBuffer}): a ring of
 * preallocated float32 arrays that overwrites its oldest transitions once full.
 *
 * <p>It stores {@code terminated}, never {@code truncated}: for a time-limit truncation the caller passes
 * {@code terminated=false} and the true final observation as {@code nextObservation}, so the learner bootstraps
 * through it. Observations are stored as the environment returned them (unnormalised), so that a normaliser whose
 * statistics move on can be applied at sampling time, as SB3 does with {@code VecNormalize}.
 */
public final class ReplayBuffer {

  private final int capacity;
  private final int observationDim;
  private final int actionDim;
  private final float[] observations;
  private final float[] actions;
  private final float[] rewards;
  private final float[] nextObservations;
  private final float[] terminated;
  private int position;
  private boolean full;

  /**
   * An empty buffer; all memory is allocated here.
   *
   * @param capacity transitions kept before the oldest are overwritten (SB3 {@code buffer_size})
   * @param observationDim floats per observation
   * @param actionDim floats per action
   */
  public ReplayBuffer(int capacity, int observationDim, int actionDim) {
    if (capacity < 1 || observationDim < 1 || actionDim < 1) {
      throw new IllegalArgumentException(
          "ReplayBuffer needs capacity, observationDim and actionDim >= 1, got " + capacity + ", " + observationDim
              + ", " + actionDim);
    }
    long floats = (long) capacity * (2L * observationDim + actionDim + 2);
    if (floats > Integer.MAX_VALUE - 8 || (long) capacity * observationDim > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "ReplayBuffer of " + capacity + " transitions with observationDim " + observationDim
              + " is too large for Java arrays; lower bufferSize");
    }
    this.capacity = capacity;
    this.observationDim = observationDim;
    this.actionDim = actionDim;
    this.observations = new float[capacity * observationDim];
    this.actions = new float[capacity * actionDim];
    this.rewards = new float[capacity];
    this.nextObservations = new float[capacity * observationDim];
    this.terminated = new float[capacity];
  }

  /**
   * Stores one transition, overwriting the oldest one when the buffer is full. The arrays are copied.
   *
   * @param terminated true only for a terminal state of the MDP (not for a time-limit truncation)
   */
  public void add(float[] observation, float[] action, float reward, float[] nextObservation, boolean terminated) {
    checkLength("observation", observation, observationDim);
    checkLength("action", action, actionDim);
    checkLength("nextObservation", nextObservation, observationDim);
    System.arraycopy(observation, 0, observations, position * observationDim, observationDim);
    System.arraycopy(action, 0, actions, position * actionDim, actionDim);
    rewards[position] = reward;
    System.arraycopy(nextObservation, 0, nextObservations, position * observationDim, observationDim);
    this.terminated[position] = terminated ? 1f : 0f;
    position++;
    if (position == capacity) {
      position = 0;
      full = true;
    }
  }

  /**
   * Fills {@code batch} with transitions drawn uniformly with replacement (as SB3 does), using only {@code random}.
   *
   * @throws IllegalStateException if the buffer is empty
   * @throws IllegalArgumentException if the batch's dimensions differ from the buffer's
   */
  public void sample(Batch batch, Random random) {
    if (size() == 0) {
      throw new IllegalStateException("cannot sample from an empty replay buffer");
    }
    if (batch.observationDim() != observationDim || batch.actionDim() != actionDim) {
      throw new IllegalArgumentException(
          "batch has observationDim " + batch.observationDim() + " and actionDim " + batch.actionDim()
              + ", buffer has " + observationDim + " and " + actionDim);
    }
    int size = size();
    for (int row = 0; row < batch.size(); row++) {
      copyTo(random.nextInt(size), batch, row);
    }
  }

  /**
   * Copies the transition in slot {@code index} (0 is the first ever stored, until the ring wraps) into row
   * {@code row} of {@code batch}; for inspection and tests.
   */
  public void copyTo(int index, Batch batch, int row) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("slot " + index + " is outside the " + size() + " stored transitions");
    }
    System.arraycopy(observations, index * observationDim, batch.observations(), row * observationDim,
        observationDim);
    System.arraycopy(actions, index * actionDim, batch.actions(), row * actionDim, actionDim);
    batch.rewards()[row] = rewards[index];
    System.arraycopy(nextObservations, index * observationDim, batch.nextObservations(), row * observationDim,
        observationDim);
    batch.terminated()[row] = terminated[index];
  }

  /** Transitions currently stored. */
  public int size() {
    return full ? capacity : position;
  }

  /** Maximum transitions stored. */
  public int capacity() {
    return capacity;
  }

  /** Bytes the stored transitions take when the buffer is full (what a saved buffer grows to). */
  public long bytesAtCapacity() {
    return 4L * capacity * (2L * observationDim + actionDim + 2);
  }

  public int observationDim() {
    return observationDim;
  }

  public int actionDim() {
    return actionDim;
  }

  /** Writes the buffer's contents (only the stored transitions) for a checkpoint. */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(capacity);
    out.writeInt(observationDim);
    out.writeInt(actionDim);
    out.writeInt(position);
    out.writeBoolean(full);
    int size = size();
    writeFloats(out, observations, size * observationDim);
    writeFloats(out, actions, size * actionDim);
    writeFloats(out, rewards, size);
    writeFloats(out, nextObservations, size * observationDim);
    writeFloats(out, terminated, size);
  }

  /**
   * Replaces this buffer's contents with what {@link #writeTo} wrote.
   *
   * @throws IOException if the stream is cut short or its dimensions differ from this buffer's
   */
  public void readFrom(DataInputStream in) throws IOException {
    int savedCapacity = in.readInt();
    int savedObservationDim = in.readInt();
    int savedActionDim = in.readInt();
    if (savedCapacity != capacity || savedObservationDim != observationDim || savedActionDim != actionDim) {
      throw new IOException(
          "saved replay buffer has capacity " + savedCapacity + ", observationDim " + savedObservationDim
              + ", actionDim " + savedActionDim + "; expected " + capacity + ", " + observationDim + ", "
              + actionDim);
    }
    int savedPosition = in.readInt();
    boolean savedFull = in.readBoolean();
    if (savedPosition < 0 || savedPosition >= capacity) {
      throw new IOException("saved replay buffer position " + savedPosition + " is outside [0, " + capacity + ")");
    }
    position = savedPosition;
    full = savedFull;
    int size = size();
    readFloats(in, observations, size * observationDim);
    readFloats(in, actions, size * actionDim);
    readFloats(in, rewards, size);
    readFloats(in, nextObservations, size * observationDim);
    readFloats(in, terminated, size);
  }

  private static void writeFloats(DataOutputStream out, float[] array, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      out.writeFloat(array[i]);
    }
  }

  private static void readFloats(DataInputStream in, float[] array, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      array[i] = in.readFloat();
    }
  }

  private static void checkLength(String name, float[] array, int expected) {
    if (array.length != expected) {
      throw new IllegalArgumentException(name + " has " + array.length + " floats, expected " + expected);
    }
  }
}
