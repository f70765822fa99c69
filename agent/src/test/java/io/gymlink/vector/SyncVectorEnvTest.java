package io.gymlink.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.InMemoryEnv;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncVectorEnvTest {

  private static SyncVectorEnv vector(int n, int timeLimit) {
    return new SyncVectorEnv(java.util.stream.IntStream.range(0, n).mapToObj(i -> new InMemoryEnv(timeLimit))
        .toList());
  }

  @Test
  void reset_seedsEnvIWithSeedPlusI_andBatchesObservations() {
    try (SyncVectorEnv env = vector(3, 10)) {
      BoxValue obs = env.reset(5L);
      assertArrayEquals(new int[] {3, 3}, obs.shape());
      // position = (seed % 7) - 3 for seeds 5, 6, 7
      assertEquals(2f, obs.data()[0]);
      assertEquals(3f, obs.data()[3]);
      assertEquals(-3f, obs.data()[6]);
    }
  }

  @Test
  void step_atTimeLimit_resetsInTheSameStep_andKeepsTheTrueFinalObservation() {
    try (SyncVectorEnv env = vector(2, 2)) {
      env.reset(0L);
      BoxValue zeros = new BoxValue(new float[2], new int[] {2, 1});
      VectorStepResult first = env.step(zeros);
      assertNull(first.finalObservations()[0]);
      VectorStepResult second = env.step(zeros);
      assertTrue(second.truncated()[0] && second.truncated()[1]);
      assertNotNull(second.finalObservations()[0]);
      assertEquals(1f, second.finalObservations()[0][2], "the final observation is the episode's last one");
      assertEquals(0f, second.observations().data()[2], "the observation to act on is the new episode's first");
    }
  }

  @Test
  void sendRecv_stepsOnlyTheEnvsSent() {
    List<InMemoryEnv> envs = List.of(new InMemoryEnv(10), new InMemoryEnv(10), new InMemoryEnv(10));
    try (SyncVectorEnv env = new SyncVectorEnv(envs)) {
      env.reset(0L);
      env.send(new BoxValue(new float[] {0.5f}, new int[] {1, 1}), new int[] {2});
      VectorStepResult result = env.recv(1);
      assertArrayEquals(new int[] {2}, result.envIds());
      assertEquals(0, envs.get(0).steps());
      assertEquals(1, envs.get(2).steps());
    }
  }

  @Test
  void send_wrongNumberOfActions_namesExpectedAndActual() {
    try (SyncVectorEnv env = vector(2, 10)) {
      env.reset(0L);
      var e = assertThrows(IllegalArgumentException.class,
          () -> env.step(new BoxValue(new float[3], new int[] {3, 1})));
      assertTrue(e.getMessage().contains("must hold 2 floats") && e.getMessage().contains("got 3"), e.getMessage());
    }
  }
}
