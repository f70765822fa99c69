package io.gymlink.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gymlink.testing.PythonEnvServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The benchmark's arithmetic and that it runs end to end (its figures are not checked: they belong to the table). */
class TransportBenchmarkTest {

  @RegisterExtension
  static final PythonEnvServer SERVER = PythonEnvServer.create();

  @Test
  void percentile_interpolatesLikeNumpy() {
    long[] sorted = {10, 20, 30, 40};
    assertEquals(25.0, LatencyStats.percentile(sorted, 50));
    assertEquals(39.7, LatencyStats.percentile(sorted, 99), 1e-9);
    assertEquals(10.0, LatencyStats.percentile(new long[] {10}, 99));
  }

  @Test
  void of_convertsToMicrosecondsAndStepsPerSecond() {
    LatencyStats stats = LatencyStats.of("x", new long[] {3_000, 1_000, 2_000}, 1_000_000_000L);
    assertEquals(2.0, stats.p50Micros());
    assertEquals(3.0, stats.stepsPerSecond());
  }

  @Test
  void run_shortBenchmark_printsOneRowPerTransport() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new TransportBenchmark());
    cli.setOut(new PrintWriter(out, true));
    int code = cli.execute("--server", SERVER.target(), "--steps", "200", "--warmup", "10", "--java-echo",
        "--inprocess-json", "{\"steps\": 200, \"p50_us\": 7.5, \"p99_us\": 9.0, \"steps_per_s\": 100000.0}");
    assertEquals(0, code, out.toString());
    List<String> rows = out.toString().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| transport"))
        .toList();
    assertEquals(4, rows.size(), out.toString());
    assertEquals("| in-process Gymnasium (floor, Python) | 7.5 | 9.0 | 100,000 |", rows.get(0));
    assertTrue(rows.get(1).startsWith("| gRPC unary (Step RPC) | "), rows.get(1));
    assertTrue(rows.get(2).startsWith("| gRPC session stream (lockstep) | "), rows.get(2));
    assertTrue(rows.get(3).startsWith("| gRPC session stream, Java echo server (no Python) | "), rows.get(3));
  }
}
