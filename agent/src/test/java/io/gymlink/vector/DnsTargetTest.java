package io.gymlink.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.testing.PythonEnvServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code dns:///} name that resolves to two addresses through the JVM's own resolver, without touching
 * /etc/hosts: a child JVM gets a hosts file of its own ({@code -Djdk.net.hosts.file}) mapping one name to 127.0.0.2
 * and 127.0.0.3, where two real env servers listen on the same port.
 */
class DnsTargetTest {

  @TempDir
  Path dir;

  @Test
  void dnsName_twoAddressesInTheHostsFile_envsSpreadOverBothServers() throws Exception {
    int port = freePortOn("127.0.0.2", "127.0.0.3");
    Path hosts = Files.writeString(dir.resolve("hosts"),
        "127.0.0.2 envservers.test\n127.0.0.3 envservers.test\n", StandardCharsets.UTF_8);
    try (LocalEnvServer a = PythonEnvServer.startServer("--host", "127.0.0.2", "--port", Integer.toString(port));
        LocalEnvServer b = PythonEnvServer.startServer("--host", "127.0.0.3", "--port", Integer.toString(port))) {
      Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
          SystemResolverProbe.class.getName(), "dns:///envservers.test:" + port, "4")
          .redirectErrorStream(true).start();
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(probe.waitFor(60, TimeUnit.SECONDS), output);
      assertEquals(0, probe.exitValue(), output);
      assertTrue(output.contains("vector env: 4 x 'Pendulum-v1' on 2 env servers {127.0.0.2:" + port + "=2, 127.0.0.3:"
          + port + "=2}"), output);
      assertTrue(output.contains("stepped 4 envs"), output);
      assertTrue(a.isAlive() && b.isAlive());
    }
  }

  /** A port free on every one of {@code hosts} (loopback addresses), for servers that share it. */
  static int freePortOn(String... hosts) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(hosts[0]))) {
        port = first.getLocalPort();
      }
      boolean free = true;
      for (String host : hosts) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
          probe.setReuseAddress(true);
        } catch (java.io.IOException taken) {
          free = false;
        }
      }
      if (free) {
        return port;
      }
    }
    throw new IllegalStateException("no port free on all of " + String.join(", ", hosts));
  }
}
