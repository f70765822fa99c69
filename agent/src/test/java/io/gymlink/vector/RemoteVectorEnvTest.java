package io.gymlink.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.client.ClientConfig;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.InvalidActionException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.InMemoryEnv;
import io.gymlink.testing.InMemoryEnvServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The remote vector env against in-process servers of in-memory envs: semantics, spreading and every fault. */
class RemoteVectorEnvTest {

  private final List<InMemoryEnvServer> servers = new ArrayList<>();

  private InMemoryEnvServer server(String name) {
    InMemoryEnvServer server = InMemoryEnvServer.start(name + "-" + System.nanoTime());
    servers.add(server);
    return server;
  }

  @AfterEach
  void stopServers() {
    servers.forEach(InMemoryEnvServer::close);
  }

  private static RemoteVectorConfig config(int numEnvs) {
    return RemoteVectorConfig.of(InMemoryEnvServer.ENV_ID, numEnvs)
        .withMake(Map.of(), 10)
        .withClient(ClientConfig.defaults().withCallTimeout(Duration.ofSeconds(5)))
        .withFaults(Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(100));
  }

  private static RemoteVectorEnv connect(RemoteVectorConfig config, InMemoryEnvServer... on) {
    String targets = String.join(",", Arrays.stream(on).map(InMemoryEnvServer::address).toList());
    return RemoteVectorEnv.connect(ServerTargets.parse(targets), config, HostResolver.system(),
        InMemoryEnvServer.channels());
  }

  /** Actions that push each env one way, then the other, so that some episodes terminate and others truncate. */
  private static BoxValue actions(int numEnvs, int t) {
    float[] data = new float[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      data[i] = ((t / 4 + i) % 2 == 0) ? 1f : -0.5f;
    }
    return new BoxValue(data, new int[] {numEnvs, 1});
  }

  @Test
  void step_overTwoServers_equalsSyncVectorEnvRowForRow() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    List<InMemoryEnv> local = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      local.add(new InMemoryEnv(10));
    }
    try (RemoteVectorEnv remote = connect(config(4), a, b); SyncVectorEnv reference = new SyncVectorEnv(local)) {
      assertEquals(reference.reset(7L), remote.reset(7L));
      int ended = 0;
      for (int t = 0; t < 40; t++) {
        VectorStepResult want = reference.step(actions(4, t));
        VectorStepResult got = remote.step(actions(4, t));
        assertArrayEquals(want.envIds(), got.envIds());
        assertEquals(want.observations(), got.observations(), "observations at t=" + t);
        assertArrayEquals(want.rewards(), got.rewards());
        assertArrayEquals(want.terminated(), got.terminated());
        assertArrayEquals(want.truncated(), got.truncated());
        for (int k = 0; k < 4; k++) {
          assertArrayEquals(want.finalObservations()[k], got.finalObservations()[k], "final observation " + k);
          ended += want.episodeOver(k) ? 1 : 0;
        }
        assertArrayEquals(new boolean[4], got.interrupted());
      }
      assertTrue(ended > 4, "the test should cross episode ends, saw " + ended);
    }
  }

  @Test
  void connect_fiveEnvsOnTwoServers_spreadThreeAndTwo() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    try (RemoteVectorEnv env = connect(config(5), a, b)) {
      assertEquals(3, a.instances());
      assertEquals(2, b.instances());
      assertEquals(5, env.numEnvs());
      assertEquals(InMemoryEnv.OBSERVATION_SPACE, env.singleObservationSpace());
    }
  }

  @Test
  void connect_manyMakesInFlightOnOneSession_answersStayMatchedToRequests() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    for (int round = 0; round < 5; round++) {
      try (RemoteVectorEnv env = connect(config(16), a, b)) {
        env.reset((long) round);
        env.step(actions(16, round));
      }
    }
  }

  @Test
  void step_oneBatchPerServerPerStep() {
    InMemoryEnvServer a = server("a");
    try (RemoteVectorEnv env = connect(config(6), a)) {
      env.reset(0L);
      env.step(actions(6, 0));
      assertEquals(6, a.steps());
    }
  }

  @Test
  void sendRecv_subsets_everySentEnvAnswersOnce() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    try (RemoteVectorEnv env = connect(config(4), a, b)) {
      env.reset(1L);
      env.send(new BoxValue(new float[] {0.1f, 0.2f}, new int[] {2, 1}), new int[] {3, 0});
      List<Integer> answered = new ArrayList<>();
      while (answered.size() < 2) {
        VectorStepResult r = env.recv(1);
        assertTrue(r.size() >= 1);
        Arrays.stream(r.envIds()).forEach(answered::add);
      }
      answered.sort(null);
      assertEquals(List.of(0, 3), answered);
      assertEquals(0, env.recv(5).size(), "nothing is in flight any more");
    }
  }

  @Test
  void streamsPerServer_aSlowEnvHoldsUpOnlyTheEnvsOfItsStream() {
    InMemoryEnvServer a = server("a");
    BoxValue oneSlow = new BoxValue(new float[] {InMemoryEnvServer.SLOW_ACTION, 0f, 0f, 0f}, new int[] {4, 1});
    int[] all = {0, 1, 2, 3};
    try (RemoteVectorEnv one = connect(config(4), a)) {
      one.reset(0L);
      one.send(oneSlow, all);
      assertEquals(4, one.recv(1).size(), "one stream: the slow env's batch holds every env");
    }
    try (RemoteVectorEnv two = connect(config(4).withStreamsPerServer(2), a)) {
      two.reset(0L);
      two.send(oneSlow, all);
      // Envs 0 and 2 share the first stream, 1 and 3 the second.
      assertArrayEquals(new int[] {1, 3}, two.recv(1).envIds());
      assertArrayEquals(new int[] {0, 2}, two.recv(1).envIds());
    }
  }

  @Test
  void send_badActionOrBusyEnv_failsBeforeSendingAnything() {
    InMemoryEnvServer a = server("a");
    try (RemoteVectorEnv env = connect(config(2), a)) {
      env.reset(1L);
      InvalidActionException bad = assertThrows(InvalidActionException.class,
          () -> env.send(new BoxValue(new float[] {0f, 3f}, new int[] {2, 1}), new int[] {0, 1}));
      assertEquals("action for 'InMemory-v0' (env 1) has 3.0 at index 0, above the upper bound 1.0",
          bad.getMessage());
      env.send(new BoxValue(new float[] {0f}, new int[] {1, 1}), new int[] {0});
      IllegalArgumentException busy = assertThrows(IllegalArgumentException.class,
          () -> env.send(new BoxValue(new float[] {0f}, new int[] {1, 1}), new int[] {0}));
      assertEquals("env 0 was already sent an action and has not answered yet", busy.getMessage());
      env.recv(1);
      assertEquals(1, a.steps(), "only the one good action stepped");
    }
  }

  @Test
  void serverKilled_itsEnvsComeBackInterruptedAndRemadeOnTheOther_thenRebalancedWhenItReturns() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    try (RemoteVectorEnv env = connect(config(4), a, b)) {
      env.reset(3L);
      env.step(actions(4, 0));
      b.kill();
      VectorStepResult r = env.step(actions(4, 1));
      // Envs 1 and 3 lived on b.
      assertArrayEquals(new boolean[] {false, true, false, true}, r.interrupted());
      assertArrayEquals(new boolean[] {false, true, false, true}, r.truncated());
      assertEquals(0.0, r.rewards()[1]);
      assertNull(r.finalObservations()[1]);
      assertEquals(4, a.instances(), "b's envs were made again on a");
      for (int t = 2; t < 6; t++) {
        assertArrayEquals(new boolean[4], env.step(actions(4, t)).interrupted());
      }
      b.restart();
      for (int t = 6; t < 60 && a.instances() > 2; t++) {
        assertArrayEquals(new boolean[4], env.step(actions(4, t)).interrupted(), "moves interrupt nothing");
        sleep(5);
      }
      assertEquals(2, b.instances(), "two envs moved back to b at their episode ends");
      assertEquals(2, a.instances());
    }
  }

  @Test
  void idleEnvOnKilledServer_itsNextSendAnswersInterruptedAtOnce() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    try (RemoteVectorEnv env = connect(config(2), a, b)) {
      env.reset(0L);
      env.send(new BoxValue(new float[] {0.5f}, new int[] {1, 1}), new int[] {0});
      b.kill();
      assertEquals(1, env.recv(1).size());
      // The vector env notices b is gone at its next request: env 1's episode ends there, interrupted.
      env.send(new BoxValue(new float[] {0.5f}, new int[] {1, 1}), new int[] {1});
      VectorStepResult r = env.recv(1);
      assertArrayEquals(new int[] {1}, r.envIds());
      assertTrue(r.interrupted()[0]);
      assertEquals("env server at " + b.address() + " lost", r.infos().get(0).get("interrupted").toString()
          .replaceAll(" \\(.*", ""));
    }
  }

  @Test
  void envRaises_onlyItsRowIsInterruptedAndItIsMadeAgain() {
    InMemoryEnvServer a = server("a");
    try (RemoteVectorEnv env = connect(config(3), a)) {
      env.reset(0L);
      a.raiseInNextSteps(1);
      VectorStepResult r = env.step(actions(3, 0));
      assertArrayEquals(new boolean[] {true, false, false}, r.interrupted());
      assertEquals(4, a.makes());
      assertArrayEquals(new boolean[3], env.step(actions(3, 1)).interrupted());
    }
  }

  @Test
  void stalledServer_deadlinePasses_itsEnvsInterruptedAndRemadeElsewhere() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    RemoteVectorConfig impatient = config(2).withClient(ClientConfig.defaults()
        .withCallTimeout(Duration.ofMillis(300)));
    try (RemoteVectorEnv env = connect(impatient, a, b)) {
      env.reset(0L);
      b.stall();
      long started = System.nanoTime();
      VectorStepResult r = env.step(actions(2, 0));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertArrayEquals(new boolean[] {false, true}, r.interrupted());
      assertTrue(seconds >= 0.29 && seconds < 5, "waited " + seconds + " s for the deadline");
      assertEquals(2, a.instances());
    }
  }

  @Test
  void everyServerLost_givesUpAfterTheTimeoutWithOneLine() {
    InMemoryEnvServer a = server("a");
    RemoteVectorConfig config = config(2).withFaults(Duration.ofMillis(400), Duration.ofMillis(20),
        Duration.ofMillis(50));
    try (RemoteVectorEnv env = connect(config, a)) {
      env.reset(0L);
      a.kill();
      long started = System.nanoTime();
      EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
          () -> env.step(actions(2, 0)));
      double seconds = (System.nanoTime() - started) / 1e9;
      assertTrue(e.getMessage().startsWith("no env server reachable for 0.4 s (" + a.address() + ": "),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("; giving up"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
      assertTrue(seconds >= 0.39, "gave up after " + seconds + " s");
      assertThrows(EnvServerUnavailableException.class, () -> env.step(actions(2, 0)), "stays failed");
    }
  }

  @Test
  void serverLost_otherServerFull_envWaitsForRoom_thenGivesUpAfterTheTimeout() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    RemoteVectorConfig config = config(4).withFaults(Duration.ofMillis(600), Duration.ofMillis(20),
        Duration.ofMillis(50));
    try (RemoteVectorEnv env = connect(config, a, b)) {
      env.reset(0L);
      a.limitInstances(3);
      b.kill();
      env.send(actions(4, 0), new int[] {0, 1, 2, 3});
      VectorStepResult r = env.recv(3);
      // Envs 0 and 2 stepped on a; one of b's envs was made again on a, the other has no room.
      assertEquals(3, r.size());
      assertEquals(3, a.instances());
      EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class, () -> env.recv(1));
      assertTrue(e.getMessage().matches("env [13] found no env server with room for 0.6 s \\(env server at "
          + b.address() + " lost \\(.*\\)\\); giving up"), e.getMessage());
    }
  }

  @Test
  void connect_noServerReachable_failsAtOnceNamingThem() {
    EnvServerUnavailableException e = assertThrows(EnvServerUnavailableException.class,
        () -> RemoteVectorEnv.connect(ServerTargets.parse("nowhere-1:1,nowhere-2:1"), config(2),
            HostResolver.system(), InMemoryEnvServer.channels()));
    assertTrue(e.getMessage().startsWith("cannot reach any env server of nowhere-1:1,nowhere-2:1 (nowhere-1:1: "
        + "UNAVAILABLE"), e.getMessage());
  }

  @Test
  void connect_oneServerDown_usesTheOthersAndTakesItUpWhenItStarts() {
    InMemoryEnvServer a = server("a");
    InMemoryEnvServer b = server("b");
    b.kill();
    try (RemoteVectorEnv env = connect(config(4), a, b)) {
      assertEquals(4, a.instances());
      env.reset(0L);
      b.restart();
      for (int t = 0; t < 60 && a.instances() > 2; t++) {
        env.step(actions(4, t));
        sleep(5);
      }
      assertEquals(2, b.instances());
    }
  }

  @Test
  void dnsName_newAddressAtReresolution_newServerTakesHalfTheEnvs() throws Exception {
    InMemoryEnvServer a = InMemoryEnvServer.start("10.9.0.1");
    InMemoryEnvServer b = InMemoryEnvServer.start("10.9.0.2");
    servers.add(a);
    servers.add(b);
    AtomicReference<List<InetAddress>> answer = new AtomicReference<>(List.of(address(10, 9, 0, 1)));
    HostResolver resolver = host -> {
      if (!host.equals("fleet.test")) {
        throw new UnknownHostException(host);
      }
      return answer.get();
    };
    RemoteVectorConfig config = config(4).withReresolveInterval(Duration.ofMillis(50));
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse("dns:///fleet.test:1"), config, resolver,
        InMemoryEnvServer.channels())) {
      assertEquals(4, a.instances());
      env.reset(0L);
      answer.set(List.of(address(10, 9, 0, 2), address(10, 9, 0, 1)));
      for (int t = 0; t < 60 && a.instances() > 2; t++) {
        env.step(actions(4, t));
        sleep(5);
      }
      assertEquals(2, b.instances());
      assertEquals(2, a.instances());
    }
  }

  private static InetAddress address(int... bytes) throws UnknownHostException {
    byte[] raw = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      raw[i] = (byte) bytes[i];
    }
    return InetAddress.getByAddress(raw);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
