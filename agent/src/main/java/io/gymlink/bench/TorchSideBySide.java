package io.gymlink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times gymlink's update and the same update in PyTorch ({@code envserver-adapter/scripts/torch_update.py}) side by
 * side: both run in their own process for the whole measurement, and the rounds alternate (N updates in PyTorch,
 * then N in gymlink, ...), so that both see the same machine load. Per update it records wall-clock and thread CPU
 * time; on a busy machine the CPU time of the 1-thread rows is the steadier figure (time spent descheduled is not
 * counted), while with 2 threads only the wall clock sees the second thread's work.
 */
final class TorchSideBySide {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** Per-update samples of one side, in milliseconds. */
  record Samples(List<Double> wallMs, List<Double> cpuMs) {
    Samples() {
      this(new ArrayList<>(), new ArrayList<>());
    }
  }

  /** What one side-by-side row measured; {@code torchInfo} is the PyTorch script's self-description. */
  record Result(String torchInfo, Samples torch, Samples gymlink) {}

  private TorchSideBySide() {}

  /**
   * Runs {@code rounds} alternating rounds of {@code perRound} updates each after {@code warmup} updates on both
   * sides. {@code torchCommand} is the PyTorch script's command line (interpreter, script, arguments).
   */
  static Result run(List<String> torchCommand, UpdateSetup setup, int warmup, int rounds, int perRound) {
    Process process;
    try {
      process = new ProcessBuilder(torchCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the PyTorch side " + torchCommand + ": " + e.getMessage(), e);
    }
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); Writer in = new OutputStreamWriter(process.getOutputStream(),
        StandardCharsets.UTF_8)) {
      String info = readLine(out, torchCommand);
      Samples torch = new Samples();
      Samples gymlink = new Samples();
      torchRound(in, out, torchCommand, warmup, null);
      timeGymlink(setup, 0, warmup, null);
      long done = warmup;
      for (int r = 0; r < rounds; r++) {
        torchRound(in, out, torchCommand, perRound, torch);
        timeGymlink(setup, done, perRound, gymlink);
        done += perRound;
      }
      in.write("quit\n");
      in.flush();
      return new Result(info, torch, gymlink);
    } catch (IOException e) {
      throw new UncheckedIOException("PyTorch side " + torchCommand + " failed: " + e.getMessage(), e);
    } finally {
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void torchRound(Writer in, BufferedReader out, List<String> command, int updates, Samples into)
      throws IOException {
    in.write(updates + "\n");
    in.flush();
    JsonNode reply = JSON.readTree(readLine(out, command));
    if (into != null) {
      reply.get("wall_ms").forEach(v -> into.wallMs().add(v.asDouble()));
      reply.get("cpu_ms").forEach(v -> into.cpuMs().add(v.asDouble()));
    }
  }

  private static String readLine(BufferedReader out, List<String> command) throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the PyTorch side " + command + " exited early (its error output is above)");
    }
    return line;
  }

  /** Runs {@code updates} gymlink updates, recording each one's wall-clock and thread CPU time into {@code into}. */
  static void timeGymlink(UpdateSetup setup, long first, int updates, Samples into) {
    for (int i = 0; i < updates; i++) {
      long wall = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      setup.step(first + i);
      if (into != null) {
        into.cpuMs().add((THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
        into.wallMs().add((System.nanoTime() - wall) / 1e6);
      }
    }
  }
}
