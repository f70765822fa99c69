package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.cli.LocalEnvServer;
import io.gymlink.testing.PythonEnvServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gym-http-api row of the transport benchmark, against the real server's HTTP port. */
class TransportBenchmarkHttpRowTest {

  @Test
  void run_withHttpServer_addsTheHttpRowAfterTheGrpcRows() {
    try (LocalEnvServer server = PythonEnvServer.startServer("--http-port", "0")) {
      StringWriter out = new StringWriter();
      CommandLine cli = new CommandLine(new TransportBenchmark());
      cli.setOut(new PrintWriter(out, true));
      int code = cli.execute("--server", server.target(), "--http-server", server.httpTarget(), "--steps", "200",
          "--warmup", "10");
      assertEquals(0, code, out.toString());
      List<String> rows = out.toString().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| transport"))
          .toList();
      assertEquals(3, rows.size(), out.toString());
      assertTrue(rows.get(2).startsWith("| gym-http-api (HTTP/1.1 keep-alive, JSON) | "), rows.get(2));
    }
  }
}
