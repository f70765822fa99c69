package io.gymlink.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.random.SplitMix64Random;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

  /** Transition i has observation [i, -i], action [10 i], reward i, next [i + 1, -(i + 1)], terminated on i % 7 == 0. */
  private static void addTransition(ReplayBuffer buffer, int i) {
    buffer.add(new float[] {i, -i}, new float[] {10 * i}, i, new float[] {i + 1, -(i + 1)}, i % 7 == 0);
  }

  @Test
  void add_pastCapacity_overwritesOldestAndKeepsCapacity() {
    ReplayBuffer buffer = new ReplayBuffer(5, 2, 1);
    for (int i = 0; i < 12; i++) {
      addTransition(buffer, i);
    }
    assertEquals(5, buffer.size());
    Batch batch = Batch.allocate(400, 2, 1);
    buffer.sample(batch, new SplitMix64Random(1));
    Set<Float> rewards = new HashSet<>();
    for (float r : batch.rewards()) {
      rewards.add(r);
    }
    // After 12 adds into 5 slots only transitions 7..11 remain, and 400 draws see all of them.
    assertEquals(Set.of(7f, 8f, 9f, 10f, 11f), rewards);
  }

  @Test
  void sample_rowsAreWholeTransitions() {
    ReplayBuffer buffer = new ReplayBuffer(100, 2, 1);
    for (int i = 0; i < 30; i++) {
      addTransition(buffer, i);
    }
    Batch batch = Batch.allocate(64, 2, 1);
    buffer.sample(batch, new SplitMix64Random(3));
    for (int row = 0; row < 64; row++) {
      int i = (int) batch.rewards()[row];
      assertEquals(i, batch.observations()[2 * row]);
      assertEquals(-i, batch.observations()[2 * row + 1]);
      assertEquals(10 * i, batch.actions()[row]);
      assertEquals(i + 1, batch.nextObservations()[2 * row]);
      assertEquals(i % 7 == 0 ? 1f : 0f, batch.terminated()[row]);
    }
  }

  @Test
  void sample_sameSeed_sameBatch_differentSeed_differentBatch() {
    ReplayBuffer buffer = new ReplayBuffer(1000, 2, 1);
    for (int i = 0; i < 1000; i++) {
      addTransition(buffer, i);
    }
    Batch a = Batch.allocate(32, 2, 1);
    Batch b = Batch.allocate(32, 2, 1);
    Batch c = Batch.allocate(32, 2, 1);
    buffer.sample(a, new SplitMix64Random(42));
    buffer.sample(b, new SplitMix64Random(42));
    buffer.sample(c, new SplitMix64Random(43));
    assertArrayEquals(a.rewards(), b.rewards());
    assertTrue(!java.util.Arrays.equals(a.rewards(), c.rewards()));
  }

  @Test
  void sample_isRoughlyUniform() {
    ReplayBuffer buffer = new ReplayBuffer(10, 2, 1);
    for (int i = 0; i < 10; i++) {
      addTransition(buffer, i);
    }
    int[] counts = new int[10];
    Batch batch = Batch.allocate(10_000, 2, 1);
    buffer.sample(batch, new SplitMix64Random(5));
    for (float r : batch.rewards()) {
      counts[(int) r]++;
    }
    for (int count : counts) {
      // Expected 1000 each, binomial std ~30: 850..1150 fails only for a broken sampler.
      assertTrue(count > 850 && count < 1150, "count " + count);
    }
  }

  @Test
  void sample_empty_throws() {
    ReplayBuffer buffer = new ReplayBuffer(10, 2, 1);
    var e = assertThrows(IllegalStateException.class,
        () -> buffer.sample(Batch.allocate(4, 2, 1), new SplitMix64Random(0)));
    assertTrue(e.getMessage().contains("empty"));
  }

  @Test
  void add_wrongObservationLength_namesIt() {
    ReplayBuffer buffer = new ReplayBuffer(10, 2, 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> buffer.add(new float[3], new float[1], 0, new float[2], false));
    assertEquals("observation has 3 floats, expected 2", e.getMessage());
  }

  @Test
  void writeTo_readFrom_roundTripsAfterWrapAround() throws IOException {
    ReplayBuffer buffer = new ReplayBuffer(8, 2, 1);
    for (int i = 0; i < 13; i++) {
      addTransition(buffer, i);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    buffer.writeTo(new DataOutputStream(bytes));
    ReplayBuffer copy = new ReplayBuffer(8, 2, 1);
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(buffer.size(), copy.size());
    Batch a = Batch.allocate(50, 2, 1);
    Batch b = Batch.allocate(50, 2, 1);
    buffer.sample(a, new SplitMix64Random(9));
    copy.sample(b, new SplitMix64Random(9));
    assertArrayEquals(a.observations(), b.observations());
    assertArrayEquals(a.nextObservations(), b.nextObservations());
    // Both continue to overwrite the same slot next.
    addTransition(buffer, 100);
    addTransition(copy, 100);
    buffer.sample(a, new SplitMix64Random(10));
    copy.sample(b, new SplitMix64Random(10));
    assertArrayEquals(a.rewards(), b.rewards());
  }

  @Test
  void readFrom_otherDimensions_refused() throws IOException {
    ReplayBuffer buffer = new ReplayBuffer(8, 2, 1);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    buffer.writeTo(new DataOutputStream(bytes));
    ReplayBuffer other = new ReplayBuffer(8, 3, 1);
    var e = assertThrows(IOException.class,
        () -> other.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
    assertTrue(e.getMessage().contains("observationDim 2"), e.getMessage());
  }
}
