package io.gymlink.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.client.ClientConfig;
import io.gymlink.client.ClientSecurity;
import io.gymlink.client.GrpcEnvFactory;
import io.gymlink.env.Env;
import io.gymlink.env.EnvServerUnavailableException;
import io.gymlink.env.spaces.BoxValue;
import io.gymlink.testing.PythonEnvServer;
import io.gymlink.testing.TestCertificates;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote vector env against real Python env servers over real sockets: several servers, a SIGKILL, DNS. */
class RemoteVectorEnvServersTest {

  private final List<LocalEnvServer> servers = new ArrayList<>();

  private LocalEnvServer server(String... args) {
    LocalEnvServer server = PythonEnvServer.startServer(args);
    servers.add(server);
    return server;
  }

  @AfterEach
  void stopServers() {
    servers.forEach(LocalEnvServer::close);
  }

  private static String targets(List<LocalEnvServer> on) {
    return String.join(",", on.stream().map(LocalEnvServer::target).toList());
  }

  private static BoxValue actions(int n, int t) {
    float[] data = new float[n];
    for (int i = 0; i < n; i++) {
      data[i] = (float) Math.sin(0.3 * t + i);
    }
    return new BoxValue(data, new int[] {n, 1});
  }

  @Test
  void pendulumOverTwoServers_equalsOneEnvAtATimeOnOneServer() {
    List<LocalEnvServer> two = List.of(server(), server());
    RemoteVectorConfig config = RemoteVectorConfig.of("Pendulum-v1", 4).withMake(Map.of(), 20);
    List<Env> singles = new ArrayList<>();
    try (GrpcEnvFactory factory = GrpcEnvFactory.forTarget(two.get(0).target(), ClientConfig.defaults());
        RemoteVectorEnv remote = RemoteVectorEnv.connect(ServerTargets.parse(targets(two)), config)) {
      for (int i = 0; i < 4; i++) {
        singles.add(factory.make("Pendulum-v1", Map.of(), 20));
      }
      try (SyncVectorEnv reference = new SyncVectorEnv(singles)) {
        assertEquals(reference.reset(5L), remote.reset(5L));
        for (int t = 0; t < 45; t++) {
          VectorStepResult want = reference.step(actions(4, t));
          VectorStepResult got = remote.step(actions(4, t));
          assertEquals(want.observations(), got.observations(), "t=" + t);
          assertArrayEquals(want.rewards(), got.rewards());
          assertArrayEquals(want.truncated(), got.truncated());
          for (int k = 0; k < 4; k++) {
            assertArrayEquals(want.finalObservations()[k], got.finalObservations()[k], "t=" + t + " env " + k);
          }
        }
      }
    }
  }

  @Test
  void serverSigkilledMidRun_itsEnvsInterruptedOnceAndRemade_theRunGoesOn() {
    List<LocalEnvServer> three = List.of(server(), server(), server());
    RemoteVectorConfig config = RemoteVectorConfig.of("Pendulum-v1", 6)
        .withFaults(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(2));
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(targets(three)), config)) {
      env.reset(0L);
      for (int t = 0; t < 10; t++) {
        env.step(actions(6, t));
      }
      three.get(1).kill();
      int[] interrupted = new int[6];
      long transitions = 0;
      for (int t = 10; t < 60; t++) {
        VectorStepResult r = env.step(actions(6, t));
        for (int k = 0; k < 6; k++) {
          interrupted[k] += r.interrupted()[k] ? 1 : 0;
          transitions += r.interrupted()[k] ? 0 : 1;
        }
      }
      // Envs 1 and 4 lived on the killed server (env i on server i mod 3).
      assertArrayEquals(new int[] {0, 1, 0, 0, 1, 0}, interrupted);
      assertEquals(6 * 50 - 2, transitions);
      assertFalse(three.get(1).isAlive());
    }
  }

  @Test
  void sixteenSleepingEnvsOnOneServer_aVectorStepTakesAboutOneEnvStep() {
    List<LocalEnvServer> one = List.of(server());
    RemoteVectorConfig config = RemoteVectorConfig.of("GymlinkTest/Sleep-v0", 16).withMake(
        Map.of("step_seconds", 0.1), null);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(targets(one)), config)) {
      env.reset(0L);
      env.step(actions(16, 0));
      long start = System.nanoTime();
      for (int t = 1; t <= 3; t++) {
        env.step(actions(16, t));
      }
      double perStep = (System.nanoTime() - start) / 3e9;
      // One after the other, 16 steps of 0.1 s would take 1.6 s.
      assertTrue(perStep < 0.5, "a vector step of 16 sleeping envs took " + perStep + " s");
    }
  }

  @Test
  void crashingEnv_reMadeAtEveryCrash_theOthersGoOn() {
    List<LocalEnvServer> one = List.of(server());
    RemoteVectorConfig config = RemoteVectorConfig.of("GymlinkTest/Crash-v0", 2);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse(targets(one)), config)) {
      env.reset(0L);
      int interrupted = 0;
      for (int t = 0; t < 7; t++) {
        VectorStepResult r = env.step(actions(2, t));
        for (boolean lost : r.interrupted()) {
          interrupted += lost ? 1 : 0;
        }
      }
      // Crash-v0 raises on the 3rd step of every episode: steps 3 and 6 of both envs.
      assertEquals(4, interrupted);
    }
  }

  @Test
  void tlsAndToken_dnsName_eachAddressIsCheckedAgainstTheName(@TempDir Path dir) throws Exception {
    // A certificate for the name only (no IP): it verifies only if the channel presents the name, not the address.
    TestCertificates certs = TestCertificates.create(dir, "DNS:envservers.test");
    Path tokens = Files.writeString(dir.resolve("tokens"), "s3cret-token trainer\n");
    LocalEnvServer secure = server("--tls-cert", certs.server().toString(), "--tls-key",
        certs.serverKey().toString(), "--tokens", tokens.toString());
    ClientSecurity security = new ClientSecurity(true, certs.ca(), null, null, "s3cret-token");
    HostResolver resolver = host -> List.of(InetAddress.getByName("127.0.0.1"));
    RemoteVectorConfig config = RemoteVectorConfig.of("Pendulum-v1", 2);
    try (RemoteVectorEnv env = RemoteVectorEnv.connect(ServerTargets.parse("dns:///envservers.test:"
        + secure.port()), config, resolver, ChannelFactory.secured(security))) {
      env.reset(0L);
      assertArrayEquals(new boolean[2], env.step(actions(2, 0)).interrupted());
    }
    EnvServerUnavailableException byAddress = assertThrows(EnvServerUnavailableException.class,
        () -> RemoteVectorEnv.connect(ServerTargets.parse(secure.target()), config, resolver,
            ChannelFactory.secured(security)).close());
    assertTrue(byAddress.getMessage().startsWith("cannot reach any env server of " + secure.target()),
        byAddress.getMessage());
  }
}
