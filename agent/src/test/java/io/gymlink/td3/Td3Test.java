package io.gymlink.td3;

import static io.gymlink.td3.SmallProblems.ACTION_SPACE;
import static io.gymlink.td3.SmallProblems.OBS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.buffer.Batch;
import io.gymlink.nn.Activation;
import io.gymlink.nn.ReferenceNet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Td3Test {
  private static final int[] NET = {16, 16};
  private static final int N = 8;

  @Test
  void predict_equalsBatchedActorRescaledToBounds() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    Random random = new Random(2);
    for (int t = 0; t < 5; t++) {
      learner.train(SmallProblems.batch(random, N));
    }
    LearnerState state = learner.state();
    float[] obs = {0.3f, -0.7f, 0.1f};
    double[] unit = ReferenceNet.forward(ReferenceNet.widen(state.arrays().get("actor")),
        new int[] {OBS, 16, 16, 2}, Activation.RELU, Activation.TANH, ReferenceNet.widen(obs));
    float[] action = learner.predict(obs);
    assertEquals(-2 + (unit[0] + 1) * 2, action[0], 1e-5);
    assertEquals((unit[1] + 1) * 0.5, action[1], 1e-5);
  }

  @Test
  void predictRows_andActorSnapshot_equalPredictRowByRow_andTheSnapshotLagsUntilRefreshed() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    Random random = new Random(2);
    learner.train(SmallProblems.batch(random, N));
    float[] obs = {0.3f, -0.7f, 0.1f, -0.2f, 0.5f, 0.9f};
    float[] rows = new float[4];
    learner.predict(obs, 2, rows);
    ActorSnapshot snapshot = learner.snapshotActor();
    float[] fromSnapshot = new float[4];
    snapshot.predict(obs, 2, fromSnapshot);
    float[] expected = new float[4];
    System.arraycopy(learner.predict(Arrays.copyOfRange(obs, 0, 3)), 0, expected, 0, 2);
    System.arraycopy(learner.predict(Arrays.copyOfRange(obs, 3, 6)), 0, expected, 2, 2);
    assertArrayEquals(expected, rows);
    assertArrayEquals(expected, fromSnapshot);
    assertEquals(1, snapshot.learnerUpdates());

    learner.train(SmallProblems.batch(random, N));
    snapshot.predict(obs, 2, fromSnapshot);
    assertArrayEquals(expected, fromSnapshot, "a snapshot does not follow the learner by itself");
    snapshot.refreshFrom(learner);
    snapshot.predict(obs, 2, fromSnapshot);
    learner.predict(obs, 2, rows);
    assertArrayEquals(rows, fromSnapshot);
    assertFalse(Arrays.equals(expected, rows), "the update changed the actor");
  }

  @Test
  void predict_wrongObservationLength_refused() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> learner.predict(new float[] {1f, 2f}));
    assertEquals("observation has 2 floats, expected 3", e.getMessage());
  }

  @Test
  void train_batchOfOtherDimensions_refused() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> learner.train(Batch.allocate(N, 4, 2)));
    assertTrue(e.getMessage().contains("observationDim 4"), e.getMessage());
  }

  @Test
  void train_policyDelay_updatesActorAndTargetsEveryOtherStep() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.td3(NET, N), new Random(3));
    Random random = new Random(4);
    LearnerState s0 = learner.state();
    UpdateMetrics first = learner.train(SmallProblems.batch(random, N));
    LearnerState s1 = learner.state();
    UpdateMetrics second = learner.train(SmallProblems.batch(random, N));
    LearnerState s2 = learner.state();

    assertTrue(Double.isNaN(first.actorLoss()) && !first.actorUpdated());
    assertFalse(Double.isNaN(second.actorLoss()));
    for (String name : new String[] {"actor", "actor_target", "critic_target", "critic2_target"}) {
      assertArrayEquals(s0.arrays().get(name), s1.arrays().get(name), name + " after step 1");
      assertFalse(Arrays.equals(s1.arrays().get(name), s2.arrays().get(name)), name + " after step 2");
    }
    for (String name : new String[] {"critic", "critic2"}) {
      assertFalse(Arrays.equals(s0.arrays().get(name), s1.arrays().get(name)), name + " after step 1");
    }
    // Targets moved tau of the way towards the freshly updated networks.
    float[] expected = s1.arrays().get("actor_target").clone();
    float[] actor = s2.arrays().get("actor");
    for (int i = 0; i < expected.length; i++) {
      expected[i] = expected[i] * (float) (1 - 0.005) + (float) 0.005 * actor[i];
    }
    assertArrayEquals(expected, s2.arrays().get("actor_target"));
  }

  @Test
  void sameSeed_sameBatches_identicalFirstThousandLosses() {
    double[][] a = losses(SmallProblems.td3(NET, N), 1000);
    double[][] b = losses(SmallProblems.td3(NET, N), 1000);
    assertArrayEquals(a[0], b[0]);
    assertArrayEquals(a[1], b[1]);
    assertTrue(Arrays.stream(a[0]).allMatch(Double::isFinite));
  }

  private static double[][] losses(Td3Config config, int steps) {
    Td3 learner = new Td3(OBS, ACTION_SPACE, config, new Random(11));
    Random data = new Random(12);
    double[][] out = new double[2][steps];
    for (int t = 0; t < steps; t++) {
      UpdateMetrics m = learner.train(SmallProblems.batch(data, N));
      out[0][t] = m.criticLoss();
      out[1][t] = m.actorLoss();
    }
    return out;
  }

  @Test
  void stateAndLoad_continueBitIdentically() throws Exception {
    // TD3 settings, so that the noise stream, the policy-delay phase (31 is odd) and Adam's step counts matter.
    Td3Config config = SmallProblems.td3(NET, N);
    Td3 a = new Td3(OBS, ACTION_SPACE, config, new Random(5));
    Random data = new Random(6);
    for (int t = 0; t < 31; t++) {
      a.train(SmallProblems.batch(data, N));
    }
    LearnerState saved = a.state();
    Td3 b = new Td3(OBS, ACTION_SPACE, config, new Random(99));
    b.load(saved);
    LearnerState reloaded = b.state();
    assertEquals(saved.updates(), reloaded.updates());
    assertEquals(saved.arrays().keySet(), reloaded.arrays().keySet());
    saved.arrays().forEach((name, array) -> assertArrayEquals(array, reloaded.arrays().get(name), name));

    Random dataB = copy(data);
    for (int t = 0; t < 20; t++) {
      UpdateMetrics ma = a.train(SmallProblems.batch(data, N));
      UpdateMetrics mb = b.train(SmallProblems.batch(dataB, N));
      assertEquals(ma, mb, "update " + t + " after load");
    }
    float[] obs = {0.1f, 0.2f, 0.3f};
    assertArrayEquals(a.predict(obs), b.predict(obs));
  }

  @Test
  void load_stateFromBeforeTheUnifiedGenerator_loads() {
    // Checkpoints written before io.gymlink.random carry a 4-word target noise state (no cached Gaussian).
    Td3 a = new Td3(OBS, ACTION_SPACE, SmallProblems.td3(NET, N), new Random(5));
    a.train(SmallProblems.batch(new Random(6), N));
    LearnerState saved = a.state();
    java.util.LinkedHashMap<String, float[]> old = new java.util.LinkedHashMap<>(saved.arrays());
    old.put("target_noise.rng_state", Arrays.copyOf(old.get("target_noise.rng_state"), 4));
    Td3 b = new Td3(OBS, ACTION_SPACE, SmallProblems.td3(NET, N), new Random(7));
    b.load(new LearnerState(OBS, 2, saved.updates(), old));
    assertArrayEquals(saved.arrays().get("critic2_target"), b.state().arrays().get("critic2_target"));
    assertEquals(saved.updates(), b.updates());
  }

  @Test
  void load_unknownArrayName_refusedNamingBothLists() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    java.util.LinkedHashMap<String, float[]> arrays = new java.util.LinkedHashMap<>(learner.state().arrays());
    arrays.put("actor_extra", new float[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> learner.load(new LearnerState(OBS, 2, 0, arrays)));
    assertTrue(e.getMessage().startsWith("learner state has arrays [actor, actor_target, ") && e.getMessage()
        .contains("actor_extra") && !e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void load_otherNetArch_refusedNamingShapes() {
    Td3 small = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    Td3 other = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(new int[] {16, 8}, N), new Random(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(small.state()));
    assertTrue(e.getMessage().contains("'actor' has 370 floats, expected [3x16+16, 16x8+8, 8x2+2] = 218 floats"),
        e.getMessage());
  }

  @Test
  void load_otherDimensionsOrCriticCount_refusedNamingThem() {
    Td3 learner = new Td3(OBS, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    Td3 wider = new Td3(OBS + 1, ACTION_SPACE, SmallProblems.ddpg(NET, N), new Random(1));
    IllegalArgumentException dims = assertThrows(IllegalArgumentException.class, () -> learner.load(wider.state()));
    assertEquals("learner state is for observationDim 4, actionDim 2; this learner has observationDim 3, actionDim 2",
        dims.getMessage());
    Td3 twin = new Td3(OBS, ACTION_SPACE, SmallProblems.td3(NET, N), new Random(1));
    IllegalArgumentException twins = assertThrows(IllegalArgumentException.class, () -> learner.load(twin.state()));
    assertTrue(twins.getMessage().contains("critic2") && twins.getMessage().contains("twinCritics=false"),
        twins.getMessage());
  }

  private static Random copy(Random random) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(random);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (Random) in.readObject();
    }
  }
}
